// ESLint 9 flat config: @eslint/js and typescript-eslint's `recommended`, the syntax-only set (not
// the type-checked one), so `npm run lint` stays fast. Rules departing from `recommended` are
// listed below, each with its reason.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'build/**', 'test-results/**', 'node_modules/**', 'bench/results*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Gloss matches control characters on purpose: sanitising file text, tag paths, terminal output.
      'no-control-regex': 'off',
      // Hebrew niqqud and cantillation marks (combining characters) belong in character classes
      // next to the letters they sit on: that is how pointed Hebrew is matched.
      'no-misleading-character-class': 'off',
      // One-line loops that advance two things are written as comma sequences (`(out += d), (n -= v)`).
      '@typescript-eslint/no-unused-expressions': 'off',
      // A leading underscore marks a name kept on purpose (`{ drop: _drop, ...rest }`).
      // A warning, not an error, until the few unused names in the tree today are removed.
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'prefer-const': 'warn',
    },
  },
  {
    // Electron is an optional dependency, required at run time only where it exists.
    files: ['src/main/electron/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
