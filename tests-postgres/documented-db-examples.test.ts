import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, documentedExamples, needsDatabase } from '../tests/helpers/documented-examples.js';
import { useFreshDatabase } from './helpers/fresh-database.js';

/**
 * The `answerkey db` examples of the help and the documents (tests/cli/documented-examples.test.ts
 * runs the others), as written but for the database they name: a fresh one of this file's. Runs
 * dist/ (needs `npm run build`, which `npm run test:postgres` does first).
 */

const fresh = useFreshDatabase();
const examples = documentedExamples().filter((example) => needsDatabase(example.command));

function runShell(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const environment = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(ANSWERKEY_|OPENAI_)/.test(name)),
    );
    const child = spawn('/bin/sh', ['-c', command], { env: environment });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('every answerkey db example runs against a real database', () => {
  it('finds them in each db command help and in docs/deploy.md', () => {
    const sources = new Set(
      examples.flatMap((example) => example.sources.map((source) => source.replace(/:\d+$/, ''))),
    );
    expect(sources).toContain('answerkey db migrate --help');
    expect(sources).toContain('answerkey db status --help');
    expect(sources).toContain('docs/deploy.md');
  });

  it.each(examples.map((example) => [example.command, example] as const))('%s', async (command, example) => {
    const onFresh = command
      .replace(/\bANSWERKEY_DATABASE_URL=\S+/g, `ANSWERKEY_DATABASE_URL=${fresh.url}`)
      .replace(/--database-url \S+/g, `--database-url ${fresh.url}`)
      .replace(/\b(npx )?answerkey db\b/, `"${process.execPath}" "${CLI}" db`);
    const outcome = await runShell(onFresh);
    const said = `${command}\n  shown in ${example.sources.join(', ')}\n--- stdout\n${outcome.stdout}\n--- stderr\n${outcome.stderr}`;
    expect(outcome.code, said).toBe(0);
    expect(outcome.stdout, said).toContain(`127.0.0.1:5432/${fresh.name}`);
  });
});
