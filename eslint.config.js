// Lint: the import order of docs/architecture.md, no import cycles, and typescript-eslint's
// recommended checks. Layout is prettier's (.prettierrc.json), not eslint's.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The folders of src/, top to bottom: each may import the folders on the rows below its own, and
 * none above it or beside it. docs/architecture.md explains each row.
 */
export const LAYERS = [
  ['cli'],
  ['server'],
  ['app'],
  ['batch', 'evaluation', 'reviews', 'rubric-tests'],
  ['llm'],
  ['grading'],
  ['retrieval'],
  ['examples'],
  ['rubrics'],
  ['similarity'],
  ['embeddings'],
  ['database'],
  ['report', 'concurrency', 'config'],
  ['text'],
  ['errors'],
];

/** One zone per folder: it may not import the folders on its own row or above. */
function layerZones(sourceDirectory = './src') {
  return LAYERS.flatMap((row, rank) =>
    row.map((folder) => ({
      target: `${sourceDirectory}/${folder}`,
      from: LAYERS.slice(0, rank + 1)
        .flat()
        .filter((other) => other !== folder)
        .map((other) => `${sourceDirectory}/${other}`),
      message: `src/${folder} may import only the folders below it in docs/architecture.md`,
    })),
  ).filter((zone) => zone.from.length > 0);
}

/** The local scorer's inside: the rest of the program goes through its index.ts. */
const LOCAL_SCORER_ZONE = {
  target: ['./src/!(grading)/**/*', './src/grading/*.ts'],
  from: './src/grading/local-scorer',
  except: ['./index.ts'],
  message: "use src/grading/local-scorer/index.ts, the local scorer's public surface",
};

/** Inside batch/ (its README): run/ above report/ above input/. */
const BATCH_ZONES = [
  {
    target: './src/batch/input',
    from: ['./src/batch/run', './src/batch/report'],
    message: 'batch/input may not import run/ or report/',
  },
  { target: './src/batch/report', from: ['./src/batch/run'], message: 'batch/report may not import run/' },
  {
    target: ['./src/batch/run', './src/batch/report', './src/batch/input', './src/batch/*.ts'],
    from: './src/batch/queue',
    message: 'only the entry points import batch/queue',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'src/server/public/**',
      'embeddings/**',
      'tests/fixtures/**',
    ],
  },
  {
    files: ['src/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones(), ...BATCH_ZONES, LOCAL_SCORER_ZONE] }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Matching control characters is the point where we do it (terminal escapes, NUL bytes, invisible text).
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
);
