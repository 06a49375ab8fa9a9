/** The bundled catalogues (scripts/build.mjs aliases `@gloss/locales` to ./locales). */
declare module '@gloss/locales/*.json' {
  const catalogue: { [key: string]: unknown };
  export default catalogue;
}
