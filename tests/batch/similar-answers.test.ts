import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResultsFile } from '../../src/batch/run/results-store.js';
import { findSimilarAnswers, type SimilarityRow } from '../../src/batch/report/similar-answers.js';
import { DEFAULT_PATHS, PACKAGE_ROOT } from '../../src/config/paths.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { plantedCorpus } from '../helpers/similar-answer-corpus.js';
import { createTestGrader } from '../helpers/test-grader.js';
import { runQuietBatch } from './batch-fixtures.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);

function row(candidateId: string, questionId: string, answer: string, score = 3): SimilarityRow {
  return { candidateId, questionId, questionKey: questionId, answer, score, maxScore: 5, flags: [] };
}

describe('copies and near-copies among 2,000 answers (seeded generator)', () => {
  it.each([1, 2, 3])('finds every planted group and reference copy, and no other (seed %i)', (seed) => {
    const corpus = plantedCorpus(bank, { questions: 20, candidates: 100, seed });
    expect(corpus.rows).toHaveLength(2000);
    const { groups, rows } = findSimilarAnswers(corpus.rows, bank);
    const found = groups
      .map(
        (group) =>
          `${group.questionKey}: ${group.members
            .map((member) => member.candidateId)
            .sort()
            .join(' ')}`,
      )
      .sort();
    const planted = corpus.groups.map((group) => `${group.questionKey}: ${group.candidates.join(' ')}`).sort();
    expect(found).toEqual(planted);
    const copies = rows
      .filter((candidate) => candidate.flags.includes('copies_reference'))
      .map((candidate) => `${candidate.questionId}/${candidate.candidateId}`)
      .sort();
    expect(copies).toEqual([...corpus.referenceCopies].sort());
  });
});

describe('similar answers: what pairs two answers and what does not', () => {
  const shared =
    'I put a token bucket per API key in Redis so every instance shares the counters and clients get a 429 with a Retry-After header when they run out';

  it('groups answers sharing most of their text, with the shared passage, whatever their case and spacing', () => {
    const { groups, rows } = findSimilarAnswers(
      [
        row('alice', 'q10', `${shared}. Versioning goes in the URL.`, 4.5),
        row('bob', 'q10', `${shared.toUpperCase().replace(/ /g, '   ')}! Also OAuth2.`, 1),
        row(
          'carol',
          'q10',
          'Resources as nouns, JWT for auth, and problem+json errors with the right status codes for each case we meet.',
        ),
      ],
      bank,
    );
    expect(groups).toHaveLength(1);
    expect(groups[0].members.map((member) => member.candidateId)).toEqual(['alice', 'bob']);
    expect(groups[0].spans[0]).toContain('token bucket per API key in Redis');
    // Graded 3.5 apart on a scale of 5: more than a third of it.
    expect(groups[0]).toMatchObject({ spread: 3.5, gradesDiffer: true });
    expect(rows[0].similarTo).toEqual([{ candidateId: 'bob', share: expect.closeTo(0.9, 1), score: 1 }]);
    expect(rows[2].similarTo).toBeUndefined();
  });

  it("does not pair answers of the same candidate, answers to different questions, or answers sharing only the question's words", () => {
    const question = bank.get('q3')!.question;
    const { groups } = findSimilarAnswers(
      [
        row('alice', 'q10', `${shared}.`),
        row('alice', 'q11', `${shared}.`),
        row('bob', 'q3', `${question} Mostly with tests.`),
        row('carol', 'q3', `${question} Reviews and linters.`),
      ],
      bank,
    );
    expect(groups).toEqual([]);
  });

  it("flags an answer that is mostly the reference answer's own text, and keeps its score", () => {
    const reference = bank.get('q4')!.referenceAnswer;
    const { rows } = findSimilarAnswers(
      [
        row('alice', 'q4', `In short: ${reference}`, 4.8),
        row('bob', 'q4', 'Eager runs ops at once; graphs via tf.function are faster to serve.', 2),
      ],
      bank,
    );
    expect(rows[0].flags).toEqual(['copies_reference']);
    expect(rows[0].score).toBe(4.8);
    expect(rows[1].flags).toEqual([]);
  });
});

describe('a batch of take-homes with a copied answer and a pasted answer key', () => {
  it('records similarTo and copies_reference in results.jsonl, writes similar.csv and lists them for review in the report', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'answerkey-similar-batch-'));
    const { grader } = createTestGrader();
    try {
      const folder = join(scratch, 'take-homes');
      mkdirSync(folder);
      for (const name of ['amara-okafor.md', 'chen-wei.txt', 'emre-yilmaz.md'])
        copyFileSync(join(PACKAGE_ROOT, 'examples', 'take-homes', name), join(folder, name));
      // Gus copied Amara's Q10 with a few words changed; Hal pasted the reference answers.
      const amara = readFileSync(join(folder, 'amara-okafor.md'), 'utf8');
      const q10 = amara
        .slice(amara.indexOf('## Q10'), amara.indexOf('## Q11'))
        .replace('plural nouns', 'nouns in the plural')
        .replace('Redis', 'a Redis cluster');
      writeFileSync(join(folder, 'gus.md'), `${q10}\n## Q3\nI use pytest.\n`);
      writeFileSync(
        join(folder, 'hal.md'),
        `## Q3\n${bank.get('q3')!.referenceAnswer}\n\n## Q10\n${bank.get('q10')!.referenceAnswer}\n`,
      );
      const out = join(scratch, 'out');
      const result = await runQuietBatch({
        inputPath: folder,
        outDirectory: out,
        grader,
      });
      const { rows } = readResultsFile(join(out, 'results.jsonl'));
      const gus = rows.find((row) => row.candidateId === 'gus' && row.questionKey === 'q10')!;
      expect(gus.similarTo).toEqual([expect.objectContaining({ candidateId: 'amara-okafor' })]);
      expect(
        rows
          .filter((row) => row.flags.includes('copies_reference'))
          .map((row) => `${row.candidateId}/${row.questionKey}`)
          .sort(),
      ).toEqual(['hal/q10', 'hal/q3']);
      expect(
        result.summary.similarGroups.map((group) => [
          group.questionKey,
          group.members.map((member) => member.candidateId).sort(),
        ]),
      ).toEqual([['q10', ['amara-okafor', 'gus']]]);
      const csv = readFileSync(join(out, 'similar.csv'), 'utf8');
      expect(csv.split('\r\n')[0]).toBe(
        'group,question,candidate_id,score,max_score,similar_to,grades_differ,shared_text',
      );
      expect(csv).toMatch(/^1,q10,gus,[\d.]+,5,amara-okafor \(\d+%\),(yes|no),/m);
      const reasons = result.summary.reviews
        .filter((item) => item.row.candidateId === 'hal' || item.row.candidateId === 'gus')
        .flatMap((item) => item.reasons);
      expect(reasons).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/reference answer's own text/),
          expect.stringMatching(/shares most of its text with amara-okafor's answer/),
        ]),
      );
      const report = readFileSync(join(out, 'report.html'), 'utf8');
      expect(report).toContain('<h2>Similar answers</h2>');
      expect(report).toContain('Copies of the reference answer');
    } finally {
      grader.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
