import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { gradeJsonSchema } from '../../src/grading/grade-schema.js';
import { createTestGrader, loadCandidateAnswers } from '../helpers/test-grader.js';

const published = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schema', 'grade.schema.json'), 'utf8'));
const validate = new Ajv2020({ strict: false }).compile(published);

describe('the published grade JSON Schema', () => {
  it('is what the zod schema generates (run `npx tsx scripts/export-schema.ts` after changing it)', () => {
    expect(published).toEqual(gradeJsonSchema());
  });

  it('accepts real grades of every kind and rejects a malformed one', async () => {
    const { grader } = createTestGrader();
    const candidates = loadCandidateAnswers();
    const grades = await Promise.all([
      grader.grade({ questionId: 'q4', answer: candidates.q4.paraphrase }),
      grader.grade({ questionId: 'q4', answer: '' }),
      grader.grade({ question: candidates.q7.paraphraseQuestion, answer: candidates.q7.partial }),
      grader.grade({
        question: 'What is a stack?',
        referenceAnswer: 'A last-in, first-out collection.',
        answer: 'LIFO.',
      }),
    ]);
    for (const grade of grades) expect(validate(grade), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...grades[0], normalizedScore: 1.5 })).toBe(false);
    expect(validate({ ...grades[0], keyPoints: [{ id: 'x', text: 'y', status: 'done', evidence: null }] })).toBe(false);
  });
});
