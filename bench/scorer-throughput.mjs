#!/usr/bin/env node
// Answers per second of the local scorer on one core, in-process, over the 21 shipped questions
// and answers of varied quality; also the whole pipeline (LangChain runnables, off-topic guard).
//   npm run build && node bench/scorer-throughput.mjs [seconds]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { resolveConfig } from '../dist/config/config.js';
import { createGrader } from '../dist/app/create-grader.js';
import { scoringInputForRubric } from '../dist/grading/scorer.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.argv[2] ?? 3);
const candidates = yaml.load(readFileSync(join(root, 'tests', 'fixtures', 'candidate-answers.yaml'), 'utf8'));
const grader = createGrader(resolveConfig());
const inputs = grader.bank.rubrics.flatMap((rubric, index) => {
  const other = grader.bank.rubrics[(index + 7) % grader.bank.rubrics.length];
  return [candidates[rubric.id].paraphrase, candidates[rubric.id].partial, other.referenceAnswer].map((answer) =>
    scoringInputForRubric(rubric, answer, 1),
  );
});

async function measure(label, gradeOne) {
  for (const input of inputs) await gradeOne(input); // warm caches and the JIT
  let count = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() - started < seconds * 1000) {
    for (const input of inputs) await gradeOne(input);
    count += inputs.length;
  }
  const rate = count / ((performance.now() - started) / 1000);
  const cpu = process.cpuUsage(cpuStart);
  // Answers per CPU-second: steadier than wall time when other work shares the machine.
  const cpuRate = count / ((cpu.user + cpu.system) / 1e6);
  console.log(
    `  ${label.padEnd(34)} ${rate.toFixed(0).padStart(6)} answers/s wall, ${cpuRate.toFixed(0).padStart(6)} per CPU-second  (${count} answers)`,
  );
  return rate;
}

console.log(
  `throughput on one core, ${inputs.length} distinct answers (strong, partial, off-topic), ${seconds} s each`,
);
await measure('local scorer (target ≥ 500/s)', async (input) => grader.scorer.score(input));
await measure('full pipeline by question id', async (input) =>
  grader.grade({ questionId: input.questionId, answer: input.answer }),
);
grader.close();
