export {
  runRubricTests,
  spearman,
  type RubricTestReport,
  type RubricTestResult,
  type ScoreAnswer,
} from './run-rubric-tests.js';
export { DEFAULT_RANGES, unmetExpectations } from './test-expectations.js';
