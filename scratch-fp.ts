import { WordVectors } from './src/embeddings/word-vectors.ts';
import { createLocalScorer } from './src/grading/local-scorer/local-scorer.ts';
import { loadLocalScorerWeights } from './src/grading/local-scorer/local-scorer-weights.ts';
import { scoringInputForRubric } from './src/grading/scorer.ts';
import { loadQuestionBank } from './src/rubrics/question-bank.ts';
const bank = loadQuestionBank('rubrics');
const scorer = createLocalScorer({ vectors: WordVectors.open('embeddings/glove-100d.bin'), weights: loadLocalScorerWeights('src/grading/local-scorer-weights.json') });
const kinds = process.argv.slice(2);
for (const r of bank.rubrics) for (const t of r.tests) {
  if (!kinds.includes(t.kind)) continue;
  const g = scorer.assess(scoringInputForRubric(r, t.answer, 1)).grade;
  for (const m of g.misconceptions) console.log(`${r.id}/${t.id} ${g.score} [${m.kind}] ${m.id}: ${m.text.slice(0,90)}\n     «${m.evidence}»`);
}
