#!/usr/bin/env node
// How well `lookup` finds the bank question from the way an interviewer types it, and how seldom it
// matches a question the bank does not hold: recall (matched to the right question), wrong matches,
// the right question among the first three, and off-bank questions matched.
//   npm run build && node bench/lookup-phrasings.mjs [tests/fixtures/lookup-phrasings.yaml ...] [--verbose]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { resolveConfig } from '../dist/config/config.js';
import { createGrader } from '../dist/app/create-grader.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');
const files = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
if (files.length === 0) files.push(join(root, 'tests', 'fixtures', 'lookup-phrasings.yaml'));
const grader = createGrader(resolveConfig());
const threshold = grader.config.matchThreshold;
const percent = (count, total) => `${((100 * count) / total).toFixed(1)}%`;

for (const file of files) {
  const { phrasings, offBank } = yaml.load(readFileSync(file, 'utf8'));
  let total = 0;
  let right = 0;
  let wrong = 0;
  let inTopThree = 0;
  const misses = [];
  const rightScores = [];
  const offBankScores = [];
  for (const [questionId, texts] of Object.entries(phrasings)) {
    for (const text of texts) {
      total += 1;
      const matches = await grader.lookup(text, 'question', 3);
      const matched = matches[0] && matches[0].similarity >= threshold ? matches[0].questionId : null;
      if (matches[0]?.questionId === questionId) rightScores.push(matches[0].similarity);
      if (matched === questionId) right += 1;
      else if (matched !== null) wrong += 1;
      if (matches.some((match) => match.questionId === questionId)) inTopThree += 1;
      if (matched !== questionId)
        misses.push(
          `  ${questionId} → ${matched ?? 'nothing'}  "${text}"  [${matches.map((m) => `${m.questionId} ${m.similarity.toFixed(2)}`).join(', ')}]`,
        );
    }
  }
  const offBankMatched = [];
  for (const text of offBank) {
    const [best] = await grader.lookup(text, 'question', 1);
    offBankScores.push(best?.similarity ?? 0);
    if (best && best.similarity >= threshold)
      offBankMatched.push(`  ${best.questionId} ${best.similarity.toFixed(2)}  "${text}"`);
  }
  console.log(`${file.replace(`${root}/`, '')} (threshold ${threshold})`);
  console.log(
    `  matched right ${right}/${total} (${percent(right, total)}), to a wrong question ${wrong}, to nothing ${total - right - wrong}`,
  );
  console.log(`  right question in the top 3: ${inTopThree}/${total}`);
  console.log(
    `  off-bank questions matched: ${offBankMatched.length}/${offBank.length} (${((25 * offBankMatched.length) / offBank.length).toFixed(2)} in 25)`,
  );
  if (verbose) {
    const sorted = (scores, order) =>
      scores
        .sort((left, right) => order * (left - right))
        .slice(0, 8)
        .map((score) => score.toFixed(2))
        .join(' ');
    console.log(
      `  lowest scores of the right question ranked first: ${sorted(rightScores, 1)}; highest off-bank: ${sorted(offBankScores, -1)}`,
    );
    console.log([...misses, ...offBankMatched].join('\n'));
  }
}
grader.close();
