// How long copy and near-copy detection takes on a large batch: 10,000 answers to 20 questions
// (500 candidates each, seeded, with planted copies), and whether every planted group was found.
//   node --import tsx bench/similar-answers.mjs [candidates per question] [questions]
import { findSimilarAnswers } from '../src/batch/report/similar-answers.ts';
import { DEFAULT_PATHS } from '../src/config/paths.ts';
import { loadQuestionBank } from '../src/rubrics/question-bank.ts';
import { plantedCorpus } from '../tests/helpers/similar-answer-corpus.ts';

const candidates = Number(process.argv[2] ?? 500);
const questions = Number(process.argv[3] ?? 20);
const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);
const corpus = plantedCorpus(bank, { questions, candidates, seed: 7 });
const started = performance.now();
const { groups, rows } = findSimilarAnswers(corpus.rows, bank);
const seconds = (performance.now() - started) / 1000;
const found = new Set(
  groups.map(
    (group) =>
      `${group.questionKey}: ${group.members
        .map((member) => member.candidateId)
        .sort()
        .join(' ')}`,
  ),
);
const planted = corpus.groups.map((group) => `${group.questionKey}: ${group.candidates.join(' ')}`);
const copies = rows.filter((row) => row.flags.includes('copies_reference')).length;
console.log(`${corpus.rows.length} answers to ${questions} questions: grouped in ${seconds.toFixed(2)} s (bound 10 s)`);
console.log(
  `groups: ${groups.length} found, ${planted.filter((key) => found.has(key)).length} of ${planted.length} planted; reference copies flagged: ${copies} of ${corpus.referenceCopies.length}`,
);
