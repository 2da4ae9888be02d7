// The local scorer's public surface: what the rest of the program may use. Everything else in this
// folder is its inside, free to change (the lint step refuses imports of it from outside).
export { createLocalScorer, scoreUnderWeights, type LocalAssessment, type LocalScorer } from './local-scorer.js';
export { loadLocalScorerWeights, type LocalScorerWeights } from './local-scorer-weights.js';
export { createThreadedScorer, type ThreadedScorer } from './threaded-scorer.js';
export { createPanelPriorSource } from './panel-prior-source.js';
export { fitPanelPrior, fitScoreMapping, guideByExamples, type PanelPrior } from './example-guidance.js';
export { gradeAtScore } from './grade-at-score.js';
export { FITTED_TERMS, modelInputs, type LinearModel, type ModelTerm } from './features.js';
