import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchAnswer } from '../../src/batch/batch-answer.js';
import { readInput } from '../../src/batch/input/read-input.js';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { createTestGrader } from '../helpers/test-grader.js';

// Made from examples/take-homes by LibreOffice, qpdf, Chromium and a notebook writer: tests/fixtures/take-homes/make-fixtures.mjs.
const FIXTURES = join(PACKAGE_ROOT, 'tests', 'fixtures', 'take-homes');
const ORIGINALS = join(PACKAGE_ROOT, 'examples', 'take-homes');
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-take-home-formats-'));
const { grader } = createTestGrader();
afterAll(() => {
  grader.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A folder of take-homes taken from the fixtures: candidate → the format of their file. */
function folderOf(name: string, formats: Record<string, string>): string {
  const folder = join(scratch, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  for (const original of readdirSync(ORIGINALS)) {
    const candidate = basename(original, extname(original));
    const format = formats[candidate];
    if (format === undefined) copyFileSync(join(ORIGINALS, original), join(folder, original));
    else copyFileSync(join(FIXTURES, format, `${candidate}.${format}`), join(folder, `${candidate}.${format}`));
  }
  return folder;
}

function everyone(format: string): Record<string, string> {
  return Object.fromEntries(readdirSync(ORIGINALS).map((name) => [basename(name, extname(name)), format]));
}

const byAnswer = (answers: readonly BatchAnswer[]) =>
  answers.map((answer) => `${answer.candidateId}/${answer.questionKey}`);
const flat = (text: string) =>
  text
    .replace(/```\w*/g, '')
    .replace(/[*`#]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

async function scores(answers: readonly BatchAnswer[]): Promise<Map<string, number>> {
  const graded = new Map<string, number>();
  for (const answer of answers) {
    const grade = await grader.grade({ answer: answer.answer, ...answer.questionRef, mode: 'local' });
    graded.set(`${answer.candidateId}/${answer.questionKey}`, grade.score);
  }
  return graded;
}

describe('take-homes in Word, PDF, notebook and HTML files', () => {
  it.each(['docx', 'pdf', 'ipynb', 'html'])(
    'splits every %s take-home into the same answers as the Markdown originals',
    async (format) => {
      const original = await readInput(ORIGINALS, grader.bank);
      const converted = await readInput(folderOf(format, everyone(format)), grader.bank);
      expect(byAnswer(converted.answers)).toEqual(byAnswer(original.answers));
      // The same words, less Markdown marks and line breaks (a PDF keeps neither).
      for (const [index, answer] of converted.answers.entries())
        expect(flat(answer.answer)).toBe(flat(original.answers[index].answer));
      expect(converted.problems.map((problem) => [problem.kind, problem.candidateId])).toEqual(
        original.problems.map((problem) => [problem.kind, problem.candidateId]),
      );
      expect(converted.takeHomeCandidates).toEqual(original.takeHomeCandidates);
    },
  );

  it('grades a folder of .pdf, .docx, .ipynb, .html, .md and .txt take-homes to the scores of the Markdown originals (± 0.05)', async () => {
    const mixed = folderOf('mixed', {
      'amara-okafor': 'pdf',
      'ben-hartley': 'docx',
      'dana-kowalski': 'html',
      'farah-haddad': 'ipynb',
    });
    expect(readdirSync(mixed).sort()).toEqual([
      'amara-okafor.pdf',
      'ben-hartley.docx',
      'chen-wei.txt',
      'dana-kowalski.html',
      'emre-yilmaz.md',
      'farah-haddad.ipynb',
    ]);
    const expected = await scores((await readInput(ORIGINALS, grader.bank)).answers);
    const actual = await scores((await readInput(mixed, grader.bank)).answers);
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    expect(expected.size).toBeGreaterThanOrEqual(20);
    for (const [key, score] of actual) expect(Math.abs(score - expected.get(key)!), key).toBeLessThanOrEqual(0.05);
  });

  it('leaves notebook outputs out and keeps code cells as code', async () => {
    const { answers } = await readInput(folderOf('notebook', { 'farah-haddad': 'ipynb' }), grader.bank);
    const q11 = answers.find((answer) => answer.candidateId === 'farah-haddad' && answer.questionKey === 'q11')!;
    expect(q11.answer).toContain('```python\n@circuit(failure_threshold=5');
    expect(JSON.stringify(answers)).not.toContain('ConnectionError retried three times');
  });

  it('reports an encrypted PDF and a scan without text in errors, saying why, and grades the rest', async () => {
    const folder = join(scratch, 'unreadable');
    mkdirSync(folder);
    copyFileSync(join(FIXTURES, 'unreadable', 'encrypted.pdf'), join(folder, 'ivan.pdf'));
    copyFileSync(join(FIXTURES, 'unreadable', 'scan.pdf'), join(folder, 'judy.pdf'));
    copyFileSync(join(FIXTURES, 'docx', 'ben-hartley.docx'), join(folder, 'ben-hartley.docx'));
    writeFileSync(join(folder, 'kim.docx'), 'a text file named .docx');
    writeFileSync(join(folder, 'lee.ipynb'), '{"cells": "not a list"}');
    const input = await readInput(folder, grader.bank);
    expect(new Set(input.answers.map((answer) => answer.candidateId))).toEqual(new Set(['ben-hartley']));
    expect(input.problems.map((problem) => [problem.source, problem.kind, problem.reason])).toEqual([
      ['ivan.pdf', 'unreadable_file', 'a password-protected PDF; ask for a copy without a password'],
      [
        'judy.pdf',
        'unreadable_file',
        'a PDF with no text in it (a scan or pictures of pages); it needs text recognition (OCR) before it can be graded',
      ],
      ['kim.docx', 'unreadable_file', expect.stringMatching(/^not a Word \(\.docx\) file that can be read/)],
      ['lee.ipynb', 'unreadable_file', expect.stringMatching(/^not a Jupyter notebook/)],
    ]);
  });
});
