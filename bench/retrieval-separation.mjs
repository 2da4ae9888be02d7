#!/usr/bin/env node
// How well a question given as text finds its bank entry, and how far unrelated questions stay:
// for the 21 reworded questions of tests/fixtures and for unrelated questions (the questions of the
// data sets named on the command line, plus a few of our own), the index's cosine and the
// word-alignment similarity that decides the match.
//   npm run build && node bench/retrieval-separation.mjs ../shared/datasets/mohler-dev.jsonl ../shared/datasets/saf-en-dev.jsonl
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { resolveConfig } from '../dist/config/config.js';
import { createGrader } from '../dist/app/create-grader.js';
import { LocalEmbeddings } from '../dist/embeddings/local-embeddings.js';
import { WordVectors, cosine } from '../dist/embeddings/word-vectors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const candidates = yaml.load(readFileSync(join(root, 'tests', 'fixtures', 'candidate-answers.yaml'), 'utf8'));
const grader = createGrader(resolveConfig());
const unrelated = [
  'What is your favourite colour?',
  'Tell me about yourself.',
  'How would you design a URL shortener?',
  'Explain Python decorators and give an example.',
  'What is the GIL in CPython and how does it affect threading?',
  ...new Set(
    process.argv.slice(2).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).question),
    ),
  ),
];

const best = async (text) => (await grader.lookup(text, 'question', 1))[0];
// The index's own measure: cosine of averaged GloVe vectors, to the nearest bank question.
const embeddings = new LocalEmbeddings({ vectors: WordVectors.open(grader.config.vectorsPath) });
const bankVectors = grader.bank.rubrics.map((rubric) => embeddings.embedText(rubric.question));
const nearestCosine = (text) => {
  const vector = embeddings.embedText(text);
  return Math.max(...bankVectors.map((other) => cosine(vector, other)));
};

const range = (values) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
let found = 0;
const paraphraseScores = [];
const paraphraseCosines = [];
for (const rubric of grader.bank.rubrics) {
  const question = candidates[rubric.id].paraphraseQuestion;
  const match = await best(question);
  if (match.questionId === rubric.id) found += 1;
  paraphraseScores.push(match.similarity);
  paraphraseCosines.push(nearestCosine(question));
}
const unrelatedScores = [];
const unrelatedCosines = [];
for (const question of unrelated) {
  unrelatedScores.push((await best(question)).similarity);
  unrelatedCosines.push(nearestCosine(question));
}
console.log(`match threshold ${grader.config.matchThreshold}`);
console.log(
  `reworded bank questions: ${found}/${grader.bank.rubrics.length} found first; alignment similarity ${range(paraphraseScores)}; index cosine ${range(paraphraseCosines)}`,
);
console.log(
  `unrelated questions (${unrelated.length}): best alignment similarity ${range(unrelatedScores)}, ${unrelatedScores.filter((score) => score >= grader.config.matchThreshold).length} at or above the threshold; best index cosine ${range(unrelatedCosines)}`,
);
grader.close();
