import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../eslint.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The lint messages for a file planted at `path` (relative to the project) with `code`, never written to disk. */
async function lintPlanted(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the import order of docs/architecture.md', () => {
  it('refuses an upward import: grading may not import the wiring above it', async () => {
    const messages = await lintPlanted(
      'src/grading/planted.ts',
      "import { createGrader } from '../app/create-grader.js';\nexport const planted = createGrader;\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*src\/grading may import only the folders below it/),
    ]);
  });

  it('refuses a sideways import between features of one rank', async () => {
    const messages = await lintPlanted(
      'src/batch/planted.ts',
      "import { readDataset } from '../evaluation/dataset.js';\nexport const planted = readDataset;\n",
    );
    expect(messages.some((message) => message.startsWith('import-x/no-restricted-paths'))).toBe(true);
  });

  it('refuses a shared helper importing a feature', async () => {
    const messages = await lintPlanted(
      'src/text/planted.ts',
      "import { loadQuestionBank } from '../rubrics/question-bank.js';\nexport const planted = loadQuestionBank;\n",
    );
    expect(messages.some((message) => message.startsWith('import-x/no-restricted-paths'))).toBe(true);
  });

  it('allows an import downwards', async () => {
    const messages = await lintPlanted(
      'src/batch/planted.ts',
      "import { gradeSchema } from '../grading/grade-schema.js';\nexport const planted = gradeSchema;\n",
    );
    expect(messages).toEqual([]);
  });

  it('refuses a cycle: question-bank.ts imports rubric-schema.ts, which may not import it back', async () => {
    const messages = await lintPlanted(
      'src/rubrics/rubric-schema.ts',
      "import { loadQuestionBank } from './question-bank.js';\nexport const planted = loadQuestionBank;\n",
    );
    expect(messages.some((message) => message.startsWith('import-x/no-cycle'))).toBe(true);
  });

  it("refuses the local scorer's inside from outside it, and allows its index.ts", async () => {
    const inside = await lintPlanted(
      'src/evaluation/planted.ts',
      "import { predict } from '../grading/local-scorer/features.js';\nexport const planted = predict;\n",
    );
    expect(inside).toEqual([expect.stringMatching(/local scorer's public surface/)]);
    const surface = await lintPlanted(
      'src/evaluation/planted.ts',
      "import { createLocalScorer } from '../grading/local-scorer/index.js';\nexport const planted = createLocalScorer;\n",
    );
    expect(surface).toEqual([]);
  });
});

describe('the layers the lint step reads', () => {
  it('name every folder of src/, so a new folder is checked too', () => {
    const folders = readdirSync(`${root}src`, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(LAYERS.flat().sort()).toEqual(folders);
  });

  it('are the table of docs/architecture.md, row for row', () => {
    const table = readFileSync(`${root}docs/architecture.md`, 'utf8')
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => [...line.split('|')[2].matchAll(/`([a-z-]+)\/`/g)].map((match) => match[1]));
    expect(table).toEqual(LAYERS);
  });
});
