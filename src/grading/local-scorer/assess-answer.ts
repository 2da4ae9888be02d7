import type { WordVectors } from '../../embeddings/word-vectors.js';
import type { Grade, GradeFlag } from '../grade-schema.js';
import { blankOut, findInstructionLikeText } from '../injection-detector.js';
import type { ScoringInput } from '../scorer.js';
import { analyzeText, type AnalyzedText } from '../../similarity/analyzed-text.js';
import { checkAnswer, isNonAnswer } from './answer-checks.js';
import { computeFeatures, predict, type Features } from './features.js';
import { assessKeyPoints } from './key-point-coverage.js';
import type { LocalScorerWeights } from './local-scorer-weights.js';
import { Lexicon } from '../../similarity/lexicon.js';
import { SimilarityTable } from '../../similarity/similarity-table.js';
import { alignWords, coverage } from '../../similarity/alignment.js';
import type { GradedExample } from '../../examples/graded-example.js';
import { guideByExamples, type ExampleEvidence } from './example-guidance.js';
import { gradeAtScore } from './grade-at-score.js';
import { alignDerivedStatuses } from './derived-key-point-statuses.js';
import { contradicts, readContradiction } from './contradiction.js';
import { dismissingClauses } from './dismissal.js';
import { readRoles } from './contrast-roles.js';
import { findWrongClaims, roleAwareSimilarity, withoutOpposites } from './wrong-claims.js';
import { preparedReferenceFor, type AnalyzedExample, type PreparedReference } from './prepared-reference.js';
import type { LocalAssessment } from './local-assessment.js';
import { combineScore, keyPointTally, shareContradicted } from './score-combination.js';

/** What a local scorer keeps between answers: its vectors and weights, and the references it prepared. */
export interface LocalScorerState {
  readonly vectors: WordVectors;
  readonly weights: LocalScorerWeights;
  readonly references: Map<string, PreparedReference>;
}

/**
 * Below this much overlap with the reference (words or letter trigrams), an answer is as likely a
 * paraphrase the vectors miss as a wrong one: on the dev data, 21% (Mohler) and 68% (SAF) of such
 * answers are off by ≥ 30% of the scale, against 6% and 15% of the rest.
 */
const LITTLE_EVIDENCE = 0.25;
const MAX_EXAMPLES_PER_REFERENCE = 1_000;
/** Where a verbatim quote lies in the answer, if it does. */
function spanOf(answer: string, quote: string | null): [number, number] | null {
  const start = quote ? answer.indexOf(quote) : -1;
  return start < 0 || !quote ? null : [start, start + quote.length];
}

/** Wrong claims from which an answer's other points are made at most partly. */
const UNRELIABLE_AT = 2;

function confidenceFor(
  features: Features,
  flags: readonly GradeFlag[],
  similarity: number,
  answerWords: number,
  denies: boolean,
): number {
  let confidence = 0.8;
  if (similarity < 0.8) confidence -= (0.25 * (0.8 - similarity)) / 0.8 + 0.1;
  if (answerWords < 8) confidence -= 0.15;
  if (answerWords > 400) confidence -= 0.1;
  // The holistic match and the key-point tally disagreeing means the answer is unusual.
  if (Math.abs(features.recall - features.keyPointCoverage) > 0.35) confidence -= 0.15;
  if (flags.includes('injection_suspected')) confidence -= 0.2;
  // Key points or the reference named only to be denied: the holistic match reads their words without the negation.
  if (denies) confidence -= 0.2;
  if (flags.includes('needs_review')) confidence -= 0.25;
  return Math.round(Math.min(0.95, Math.max(0.1, confidence)) * 100) / 100;
}

function analyzeExample(
  state: LocalScorerState,
  input: ScoringInput,
  reference: PreparedReference,
  example: GradedExample,
): AnalyzedExample {
  let analyzed = reference.examples.get(example.answer);
  if (!analyzed) {
    const lexicon = new Lexicon();
    analyzed = {
      text: analyzeText(example.answer, { ...reference.context, lexicon }),
      lexicon,
      referenceScore: assessAnswer(state, { ...input, answer: example.answer, examples: undefined, panel: undefined })
        .referenceScore,
    };
    if (reference.examples.size >= MAX_EXAMPLES_PER_REFERENCE) reference.examples.clear();
    reference.examples.set(example.answer, analyzed);
  }
  return analyzed;
}

/** F1 of the word alignment between the answer and an example, question words demoted. */
function similarityToExample(
  settings: LocalScorerWeights['settings'],
  answer: AnalyzedText,
  answerLexicon: Lexicon,
  example: AnalyzedExample,
): number {
  const table = new SimilarityTable(answerLexicon, example.lexicon, settings);
  const recall = coverage(example.text.words, alignWords(example.text.words, answer.words, table.columnToRow));
  const precision = coverage(answer.words, alignWords(answer.words, example.text.words, table.rowToColumn));
  return recall + precision === 0 ? 0 : (2 * recall * precision) / (recall + precision);
}

/** Grades one answer: key points, wrong claims, checks, the holistic model, and graded examples where given. */
export function assessAnswer(state: LocalScorerState, input: ScoringInput): LocalAssessment {
  const { vectors, weights } = state;
  const settings = weights.settings;
  const preparedReference = preparedReferenceFor(state.references, input, vectors, settings);
  const { context, reference, expandedReference, keyPoints: preparedKeyPoints, referenceTrigrams } = preparedReference;
  const suspicious = findInstructionLikeText(input.answer);
  // Instructions to the grader earn nothing: they are blanked before scoring, offsets kept.
  const scoredText = blankOut(input.answer, suspicious);
  const answerLexicon = new Lexicon();
  const answer = analyzeText(scoredText, { ...context, lexicon: answerLexicon });
  // Rows: the answer's words; columns: the words of the reference, key points and alternatives.
  const table = new SimilarityTable(answerLexicon, context.lexicon, settings);
  const answerForEvidence: AnalyzedText = { ...answer, text: input.answer };
  // With a rubric a person wrote, key points read opposites as unrelated words, and only the
  // clauses about their side of a contrast. Key points cut from a bare reference are too rough
  // for that: on the data sets it cost 0.07 of Pearson's r (mohler-dev, 5 folds), so they read
  // words as before and no wrong claim is looked for.
  const readsClaims = input.keyPointSource === 'rubric';
  const roles = readRoles(answer, readsClaims ? preparedReference.contrasts : []);
  const pointSimilarity = readsClaims ? withoutOpposites(table.columnToRow) : table.columnToRow;
  // Read once: the key points, the listed misconceptions and the dismissals all look at them.
  const dismissing = dismissingClauses(input.answer);
  const assessedKeyPoints = assessKeyPoints(preparedKeyPoints, answerForEvidence, pointSimilarity, settings, {
    similarityFor: (index) => roleAwareSimilarity(roles, preparedKeyPoints[index].variants, pointSimilarity),
    dismissing,
  });
  const { claims: wrongClaims, undercut } =
    !readsClaims || isNonAnswer(scoredText, answer)
      ? { claims: [], undercut: new Set<string>() }
      : findWrongClaims({
          answer: answerForEvidence,
          keyPoints: preparedKeyPoints,
          assessed: assessedKeyPoints,
          misconceptions: preparedReference.misconceptions,
          roles,
          similarityOf: pointSimilarity,
          plainSimilarityOf: withoutOpposites(table.plainColumnToRow),
          settings,
          maxScore: input.maxScore,
          dismissing,
        });
  // A key point the answer contradicts, or quotes only with what reads as a listed mistake, is not made.
  // Nor is a point made by a quote that lies in a wrong claim's own quote: "store the model weights
  // directly in DynamoDB" is no evidence of keeping the weights in S3.
  // (Listed misconceptions only: the unlisted readings are looser, and a whole sentence read as an
  // "opposite" of one point may well make another.)
  const claimed = wrongClaims
    .filter((claim) => claim.kind === 'listed')
    .map((claim) => spanOf(input.answer, claim.evidence));
  const quotesAClaim = (evidence: string | null) => {
    const span = spanOf(input.answer, evidence);
    return span !== null && claimed.some((claim) => claim !== null && span[0] < claim[1] && span[1] > claim[0]);
  };
  const contradicted = new Set([
    ...wrongClaims.map((claim) => claim.keyPointId),
    ...undercut,
    ...assessedKeyPoints.filter(({ result }) => quotesAClaim(result.evidence)).map(({ result }) => result.id),
  ]);
  // An answer that states several wrong claims has shown it does not know the subject reliably:
  // naming the other points earns them half credit at most, as a careful human grader would give.
  const unreliable = wrongClaims.length >= UNRELIABLE_AT;
  const keyPoints = assessedKeyPoints.map((assessed) =>
    contradicted.has(assessed.result.id)
      ? { ...assessed, result: { ...assessed.result, status: 'missing' as const, evidence: null } }
      : unreliable && assessed.result.status === 'covered'
        ? { ...assessed, result: { ...assessed.result, status: 'partial' as const } }
        : assessed,
  );
  const features = computeFeatures({
    answer,
    reference,
    expandedReference,
    keyPoints,
    table,
    settings,
    referenceTrigrams,
  });
  const contradiction = readContradiction(input.question, reference, answer, table.plainColumnToRow);
  const flags: GradeFlag[] = [];
  let cap = 0;
  if (isNonAnswer(scoredText, answer)) flags.push('empty');
  else {
    const outcome = checkAnswer({
      table,
      questionWordCount: context.questionStems.size,
      answer,
      reference,
      expandedReference,
      features,
    });
    flags.push(...outcome.flags);
    cap = outcome.cap;
  }
  const tally = keyPointTally(keyPoints);
  const mapping = input.questionId === null ? undefined : weights.questionMappings?.[input.questionId];
  const contradictedShare = shareContradicted(keyPoints, wrongClaims);
  const combined = combineScore(predict(features, weights), {
    cap,
    tally,
    keyPointSource: input.keyPointSource,
    contradiction,
    wrongClaims,
    contradictedShare,
  });
  const referenceScore = mapping ? Math.min(cap, Math.max(0, mapping.intercept + mapping.slope * combined)) : combined;
  if (wrongClaims.length > 0) flags.push('contradicts_reference');
  if (suspicious.length > 0 || wrongClaims.length > 0)
    flags.push(...(suspicious.length > 0 ? (['injection_suspected'] as const) : []), 'needs_review');
  else if (cap > 0 && Math.max(features.recall, features.trigramRecall) < LITTLE_EVIDENCE) flags.push('needs_review');
  const keyPointResults = flags.includes('empty')
    ? keyPoints.map(({ result }) => ({ ...result, status: 'missing' as const, evidence: null }))
    : input.keyPointSource === 'derived'
      ? alignDerivedStatuses(
          keyPoints,
          assessKeyPoints(preparedKeyPoints, answerForEvidence, table.looseColumnToRow, settings, {
            wordNegation: false,
          }),
          referenceScore,
          cap === 1,
        )
      : keyPoints.map(({ result }) => result);
  const draft: Grade = {
    questionId: input.questionId,
    score: 0,
    maxScore: input.maxScore,
    normalizedScore: 0,
    band: 'poor',
    rationale: '',
    keyPoints: keyPointResults,
    confidence: confidenceFor(
      features,
      flags,
      input.reference.similarity,
      answer.words.length,
      keyPoints.some((keyPoint) => keyPoint.deniedBy !== null) || contradicts(contradiction) || wrongClaims.length > 0,
    ),
    mode: 'local',
    reference: input.reference,
    flags,
    misconceptions: wrongClaims.map(({ penalty: _penalty, ...claim }) => claim),
  };
  const assessment: LocalAssessment = {
    grade: gradeAtScore(draft, referenceScore, undefined, input.keyPointSource),
    features,
    keyPoints,
    cap,
    tally,
    keyPointSource: input.keyPointSource,
    referenceScore,
    examples: [],
    contradiction,
    wrongClaims,
    contradictedShare,
  };
  if (!input.examples?.length || cap === 0) return assessment;
  const examples: ExampleEvidence[] = input.examples.map((example) => {
    const analyzed = analyzeExample(state, input, preparedReference, example);
    return {
      id: example.id,
      humanScore: Math.min(1, example.score / example.maxScore),
      referenceScore: analyzed.referenceScore,
      similarity: similarityToExample(settings, answer, answerLexicon, analyzed),
    };
  });
  const guidance = guideByExamples(referenceScore, examples, input.panel);
  const grade = gradeAtScore(
    draft,
    Math.min(guidance.score, cap),
    { examples, guidance, referenceScore },
    input.keyPointSource,
  );
  return { ...assessment, grade, examples };
}
