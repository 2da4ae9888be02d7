import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, whether running from src/ (tests) or dist/ (the installed CLI). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const DEFAULT_PATHS = {
  bankDirectory: resolve(PACKAGE_ROOT, 'rubrics'),
  indexDirectory: resolve(PACKAGE_ROOT, 'embeddings'),
  vectorsPath: resolve(PACKAGE_ROOT, 'embeddings', 'glove-100d.bin'),
  weightsPath: resolve(PACKAGE_ROOT, 'src', 'grading', 'local-scorer-weights.json'),
} as const;
