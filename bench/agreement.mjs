#!/usr/bin/env node
// Agreement with human grades under every protocol the README quotes, one `answerkey eval --json`
// run each, printed as one table. Pass the data sets' paths (Mohler first, then SAF):
//   npm run build && node bench/agreement.mjs ../shared/datasets/mohler-dev.jsonl ../shared/datasets/saf-en-dev.jsonl
// Published results on the full Mohler set (r / RMSE, 0–5): Mohler et al. 2011 0.52 / 0.98;
// Sultan et al. 2016 0.59 / 0.89; Ramachandran et al. 2015 0.61 / 0.86.
import { spawnSync } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
const datasets = process.argv.slice(2);
if (datasets.length === 0) {
  console.error('usage: node bench/agreement.mjs DATASET.jsonl [DATASET.jsonl …]');
  process.exit(2);
}

const protocols = [
  { name: 'zero-shot, shipped weights', args: [] },
  { name: 'zero-shot, 5 folds by question', args: ['--folds', '5'] },
  { name: 'zero-shot, leave one question out', args: ['--folds', 'all'] },
  { name: 'zero-shot, leave one assignment out', args: ['--folds', 'all', '--fold-by', 'assignment'] },
  { name: '5 examples, 5 seeds, 5 folds by question', args: ['--folds', '5', '--shots', '5', '--seeds', '5'] },
  { name: '10 examples, 5 seeds, 5 folds by question', args: ['--folds', '5', '--shots', '10', '--seeds', '5'] },
];

const format = (spread) =>
  spread.sd > 0 ? `${spread.mean.toFixed(3)} ± ${spread.sd.toFixed(3)}` : spread.mean.toFixed(3);
const rate = (group) => (group.largeErrorRate === null ? '–' : `${(group.largeErrorRate * 100).toFixed(0)}%`);

console.log(
  ['data set', 'protocol', 'n', 'pearson r', 'RMSE', 'QWK', 'large errors: needs_review / rest', 'seconds'].join(' | '),
);
for (const dataset of datasets) {
  for (const protocol of protocols) {
    const started = performance.now();
    const run = spawnSync(process.execPath, [main, 'eval', '--dataset', dataset, '--json', ...protocol.args], {
      encoding: 'utf8',
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (run.status !== 0) {
      console.log(`${basename(dataset)} | ${protocol.name} | failed: ${run.stderr.trim()}`);
      continue;
    }
    const { overall, review } = JSON.parse(run.stdout);
    const needsReview = review.overall.needsReview;
    console.log(
      [
        basename(dataset),
        protocol.name,
        overall.n,
        format(overall.pearson),
        format(overall.rmse),
        format(overall.qwk),
        `${rate(needsReview.selected)} of ${needsReview.selected.answers} / ${rate(needsReview.rest)}`,
        seconds,
      ].join(' | '),
    );
  }
}
