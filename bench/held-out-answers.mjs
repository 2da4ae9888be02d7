#!/usr/bin/env node
// Grades answers written for this bench only (bench/fixtures/held-out-answers.yaml), never used by
// the rubric tests or fitted on, and prints the mean score per kind and each wrong and mixed answer's score:
// whether what the rubric tests show carries over to answers the rubrics were not written against.
// bench/fixtures/held-out-answers-2.yaml is a second set written blind to the rubrics' misconceptions, alternatives
// and tests, with a "mixed" kind (mostly right, one false claim) besides "wrong" and "paraphrase".
//   npm run build && node bench/held-out-answers.mjs [file.yaml] [--verbose]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { resolveConfig } from '../dist/config/config.js';
import { createGrader } from '../dist/app/create-grader.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');
const file =
  process.argv.slice(2).find((argument) => !argument.startsWith('--')) ??
  join(root, 'bench', 'fixtures', 'held-out-answers.yaml');
const grader = createGrader(resolveConfig());
const byKind = new Map();
// The two failures a mean hides: a confident wrong answer that still passes, and a correct answer in other words
// that is charged with a wrong claim it does not make.
const wrongAboveTwo = [];
const paraphrasesWithWrongClaim = [];
for (const { question, kind, answer } of yaml.load(readFileSync(file, 'utf8'))) {
  const grade = await grader.grade({ questionId: question, answer });
  const outOfFive = (5 * grade.score) / grade.maxScore;
  if (!byKind.has(kind)) byKind.set(kind, []);
  byKind.get(kind).push(outOfFive);
  const flagged = grade.flags.includes('contradicts_reference') ? 'flagged' : 'not flagged';
  if (kind === 'wrong' && outOfFive > 2) wrongAboveTwo.push(question);
  if (kind === 'paraphrase' && grade.misconceptions.length > 0) paraphrasesWithWrongClaim.push(question);
  // Mixed answers are listed too: where they land between wrong and paraphrase is the point of the kind.
  if (kind === 'wrong' || kind === 'mixed' || verbose)
    console.log(
      `${question} ${kind.padEnd(10)} ${outOfFive.toFixed(2)} /5  ${flagged}, ${grade.misconceptions.length} wrong claim(s)`,
    );
}
console.log('\nkind        answers  mean /5  highest');
for (const [kind, scores] of byKind) {
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  console.log(
    `${kind.padEnd(11)} ${String(scores.length).padStart(7)}  ${mean.toFixed(2).padStart(7)}  ${Math.max(...scores)
      .toFixed(2)
      .padStart(7)}`,
  );
}
const count = (kind) => byKind.get(kind)?.length ?? 0;
const list = (questions) => (questions.length > 0 ? ` (${questions.join(', ')})` : '');
console.log(`\nwrong answers above 2.0 /5: ${wrongAboveTwo.length} of ${count('wrong')}${list(wrongAboveTwo)}`);
console.log(
  `paraphrases charged with a wrong claim: ${paraphrasesWithWrongClaim.length} of ${count('paraphrase')}${list(
    paraphrasesWithWrongClaim,
  )}`,
);
