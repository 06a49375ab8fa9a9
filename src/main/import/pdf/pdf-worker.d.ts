/** pdf.js's worker side (legacy build), loaded on the calling thread by pdfjs.ts; no types ship for it. */
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
