import { afterAll, beforeAll } from 'vitest';

/** Variables a developer's shell could set that the CLI (and commander) would read. */
function isSetting(name: string): boolean {
  return name.startsWith('ANSWERKEY_') || name.startsWith('OPENAI_') || name === 'PORT' || name === 'HOST';
}

/** Clears every setting variable for the tests of this file, and puts them back afterwards. */
export function isolateSettings(): void {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const name of Object.keys(process.env).filter(isSetting)) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterAll(() => {
    for (const name of Object.keys(process.env).filter(isSetting)) delete process.env[name];
    Object.assign(process.env, saved);
  });
}
