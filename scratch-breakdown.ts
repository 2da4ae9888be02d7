import { WordVectors } from './src/embeddings/word-vectors.ts';
import { createLocalScorer } from './src/grading/local-scorer/local-scorer.ts';
import { loadLocalScorerWeights } from './src/grading/local-scorer/local-scorer-weights.ts';
import { predict } from './src/grading/local-scorer/features.ts';
import { scoringInputForRubric } from './src/grading/scorer.ts';
import { loadQuestionBank } from './src/rubrics/question-bank.ts';
const bank = loadQuestionBank('rubrics');
const weights = loadLocalScorerWeights('src/grading/local-scorer-weights.json');
const scorer = createLocalScorer({ vectors: WordVectors.open('embeddings/glove-100d.bin'), weights });
const kinds = process.argv.slice(2);
const agg: Record<string, number[][]> = {};
for (const r of bank.rubrics) for (const t of r.tests) {
  if (kinds.length && !kinds.includes(t.kind)) continue;
  const a = scorer.assess(scoringInputForRubric(r, t.answer, 1));
  const h = predict(a.features, weights);
  (agg[t.kind] ??= []).push([a.tally, h, a.grade.normalizedScore]);
  if (process.env.V) console.log(r.id, t.id, 'tally', a.tally.toFixed(2), 'holistic', h.toFixed(2), 'final', a.grade.score, a.grade.misconceptions.map(m=>m.kind).join(','));
}
for (const [k, rows] of Object.entries(agg)) console.log(k, ['tally','holistic','final'].map((n,i)=>n+' '+(rows.reduce((s,r)=>s+r[i],0)/rows.length).toFixed(3)).join('  '));
