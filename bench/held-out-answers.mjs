#!/usr/bin/env node
// Grades answers written for this bench only (bench/fixtures/held-out-answers.yaml), never used by
// the rubric tests or fitted on, and prints the mean score per kind and each wrong answer's score:
// whether what the rubric tests show carries over to answers the rubrics were not written against.
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
for (const { question, kind, answer } of yaml.load(readFileSync(file, 'utf8'))) {
  const grade = await grader.grade({ questionId: question, answer });
  const outOfFive = (5 * grade.score) / grade.maxScore;
  if (!byKind.has(kind)) byKind.set(kind, []);
  byKind.get(kind).push(outOfFive);
  const flagged = grade.flags.includes('contradicts_reference') ? 'flagged' : 'not flagged';
  if (kind === 'wrong' || verbose)
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
