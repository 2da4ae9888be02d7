#!/usr/bin/env node
// Detection rate of the injection detector on tests/fixtures/injection-corpus.jsonl (by kind),
// and its false positives on a benign corpus: the bank's references, key points and their
// alternatives, tests/fixtures/candidate-answers.yaml, examples/, and every answer and reference
// of the data sets given (JSONL, the eval format). Targets: ≥ 95% flagged, 0 benign flagged.
//   node --import tsx bench/injection-corpus.mjs [DATASET.jsonl ...]
//   (default data sets: ../shared/datasets/*.jsonl beside the checkout, when present)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { DEFAULT_PATHS } from '../src/config/paths.ts';
import { findInstructionLikeText } from '../src/grading/injection-detector.ts';
import { loadQuestionBank } from '../src/rubrics/question-bank.ts';
import { benignInRepoTexts } from '../tests/grading/benign-corpus.ts';

const root = new URL('..', import.meta.url).pathname;
const corpus = readFileSync(join(root, 'tests/fixtures/injection-corpus.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

const byKind = new Map();
const missed = [];
for (const row of corpus) {
  const flagged = findInstructionLikeText(row.answer).length > 0;
  const tally = byKind.get(row.kind) ?? { total: 0, flagged: 0 };
  tally.total += 1;
  if (flagged) tally.flagged += 1;
  else missed.push(row.id);
  byKind.set(row.kind, tally);
}
const flaggedCount = corpus.length - missed.length;
console.log(
  `injection corpus: ${flaggedCount} of ${corpus.length} flagged (${((100 * flaggedCount) / corpus.length).toFixed(1)}%; target ≥ 95%)`,
);
for (const [kind, tally] of byKind) console.log(`  ${kind.padEnd(16)} ${tally.flagged}/${tally.total}`);
if (missed.length > 0) console.log(`  missed: ${missed.join(', ')}`);

const datasetPaths = process.argv.slice(2);
if (datasetPaths.length === 0) {
  const shared = join(root, '../shared/datasets');
  if (existsSync(shared))
    datasetPaths.push(
      ...readdirSync(shared)
        .filter((name) => name.endsWith('.jsonl'))
        .map((name) => join(shared, name)),
    );
}
const benign = benignInRepoTexts(loadQuestionBank(DEFAULT_PATHS.bankDirectory), yaml);
for (const path of datasetPaths) {
  for (const [index, line] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (!line.trim()) continue;
    const row = JSON.parse(line);
    for (const field of ['answer', 'reference_answer', 'question']) {
      if (typeof row[field] === 'string') benign.push({ source: `${path}:${index + 1}:${field}`, text: row[field] });
    }
  }
}
const falsePositives = benign.filter(({ text }) => findInstructionLikeText(text).length > 0);
console.log(
  `benign corpus: ${falsePositives.length} of ${benign.length} texts flagged (target 0; data sets: ${datasetPaths.length ? datasetPaths.join(', ') : 'none found'})`,
);
for (const { source, text } of falsePositives.slice(0, 20))
  console.log(
    `  ${source}: ${findInstructionLikeText(text)
      .map((span) => JSON.stringify(span.text))
      .join(' | ')}`,
  );
const pass = flaggedCount / corpus.length >= 0.95 && falsePositives.length === 0;
console.log(pass ? 'PASS' : 'FAIL');
process.exitCode = pass ? 0 : 1;
