import type { WordVectors } from '../../embeddings/word-vectors.js';
import type { KeyPoint, Misconception } from '../../rubrics/rubric-schema.js';
import type { Grade, GradeFlag } from '../grade-schema.js';
import { blankOut, findInstructionLikeText } from '../injection-detector.js';
import type { Scorer, ScoringInput } from '../scorer.js';
import {
  analyzeText,
  questionStemsOf,
  type AnalysisContext,
  type AnalyzedText,
} from '../../similarity/analyzed-text.js';
import { checkAnswer, isNonAnswer } from './answer-checks.js';
import { computeFeatures, predict, type Features, type LinearModel } from './features.js';
import { assessKeyPoints, type KeyPointCoverage, type PreparedKeyPoint } from './key-point-coverage.js';
import type { LocalScorerWeights } from './local-scorer-weights.js';
import { Lexicon } from '../../similarity/lexicon.js';
import { SimilarityTable } from '../../similarity/similarity-table.js';
import { letterTrigrams } from '../../text/trigrams.js';
import { alignWords, coverage } from '../../similarity/alignment.js';
import type { GradedExample } from '../../examples/graded-example.js';
import { guideByExamples, type ExampleEvidence } from './example-guidance.js';
import { gradeAtScore } from './grade-at-score.js';
import { alignDerivedStatuses } from './derived-key-point-statuses.js';
import { CONTRADICTION_CAP, contradicts, readContradiction, type ContradictionReading } from './contradiction.js';
import { contrastOfQuestion, readRoles, sidesOfContrast, type ContrastSides } from './contrast-roles.js';
import {
  findWrongClaims,
  novelWordsOf,
  roleAwareSimilarity,
  withoutOpposites,
  type PreparedMisconception,
  type WrongClaim,
} from './wrong-claims.js';

export interface LocalScorerConfig {
  vectors: WordVectors;
  weights: LocalScorerWeights;
}

/** The reference side of a question, analysed once and reused for every answer to it. */
interface PreparedReference {
  context: AnalysisContext;
  reference: AnalyzedText;
  expandedReference: AnalyzedText;
  keyPoints: PreparedKeyPoint[];
  misconceptions: PreparedMisconception[];
  /** The rubric's contrasts, or the one its question sets up ("eager … and graph execution"). */
  contrasts: ContrastSides[];
  referenceTrigrams: Set<string>;
  /** Graded examples of this question seen so far: analysed, with their reference-based score. */
  examples: Map<string, AnalyzedExample>;
}

interface AnalyzedExample {
  text: AnalyzedText;
  lexicon: Lexicon;
  referenceScore: number;
}

/** Everything the scorer saw, for evaluation and calibration scripts. */
export interface LocalAssessment {
  grade: Grade;
  features: Features;
  keyPoints: KeyPointCoverage[];
  /** The most the checks allow this answer, 0–1 (0 for an empty answer). */
  cap: number;
  /** Weighted key-point credit as shown (covered 1, partial ½), 0–1. */
  tally: number;
  keyPointSource: ScoringInput['keyPointSource'];
  /** The score from the reference alone, before graded examples weighed in. */
  referenceScore: number;
  /** The graded examples given, as the guidance used them (empty without examples). */
  examples: ExampleEvidence[];
  /** How much of what the answer shares with the reference it denies or dismisses. */
  contradiction: ContradictionReading;
  /** Wrong claims the answer states, each with its penalty (0–1 of the scale). */
  wrongClaims: readonly WrongClaim[];
  /** Weighted share of the key points the answer contradicts, 0–1. */
  contradictedShare: number;
}

/**
 * The final 0–1 score from the holistic model's output and the key-point tally. The holistic
 * model reads words without their negation, so an answer denying most of what it shares with the
 * reference keeps at most CONTRADICTION_CAP of it.
 */
export function combineScore(
  holistic: number,
  assessment: Pick<
    LocalAssessment,
    'cap' | 'tally' | 'keyPointSource' | 'contradiction' | 'wrongClaims' | 'contradictedShare'
  >,
): number {
  let read = contradicts(assessment.contradiction) ? Math.min(holistic, CONTRADICTION_CAP) : holistic;
  // The holistic match reads words whatever they claim: an answer keeps of it only the share of
  // the key points it does not contradict (a claim tied to no point counts as one point).
  read *= 1 - assessment.contradictedShare;
  const blended =
    assessment.keyPointSource === 'rubric' ? RUBRIC_SHARE * assessment.tally + (1 - RUBRIC_SHARE) * read : read;
  const penalty = assessment.wrongClaims.reduce((sum, claim) => sum + claim.penalty, 0);
  return Math.max(0, Math.min(blended, assessment.cap) - penalty);
}

/**
 * An assessment's 0–1 score under other weights of the holistic model: what evaluation and
 * calibration refit, so that they measure the step production runs (no per-question mapping).
 */
export function scoreUnderWeights(assessment: LocalAssessment, weights: LinearModel): number {
  return combineScore(predict(assessment.features, weights), assessment);
}

const MAX_PREPARED = 2_000;
/**
 * Below this much overlap with the reference (words or letter trigrams), an answer is as likely a
 * paraphrase the vectors miss as a wrong one: on the dev data, 21% (Mohler) and 68% (SAF) of such
 * answers are off by ≥ 30% of the scale, against 6% and 15% of the rest.
 */
const LITTLE_EVIDENCE = 0.25;
const MAX_EXAMPLES_PER_REFERENCE = 1_000;

/**
 * With a rubric a person wrote, most of the grade is the weighted tally of key points as shown
 * (covered 1, partial ½), so the score reads off the list an interviewer sees; the rest is the
 * holistic model fitted to human grades. The holistic match rewards the reference's own words,
 * which a correct answer in other words lacks, while key points accept every listed wording: at
 * half each, correct paraphrases of the bank's rubric tests averaged 3.1 / 5. Derived key points
 * only describe the answer (the data sets' questions have no rubric: this share never applies).
 */
export const RUBRIC_SHARE = 0.7;
const STATUS_CREDIT = { covered: 1, partial: 0.5, missing: 0 } as const;

function keyPointTally(keyPoints: readonly KeyPointCoverage[]): number {
  const total = keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight, 0);
  return total === 0
    ? 0
    : keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight * STATUS_CREDIT[keyPoint.result.status], 0) / total;
}

function shareContradicted(keyPoints: readonly KeyPointCoverage[], claims: readonly WrongClaim[]): number {
  const total = keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight, 0);
  if (total === 0 || claims.length === 0) return 0;
  const average = total / keyPoints.length;
  const pointIds = new Set(claims.map((claim) => claim.keyPointId).filter((id) => id !== null));
  const unattached = claims.filter((claim) => claim.keyPointId === null).length;
  const contradicted =
    keyPoints
      .filter((keyPoint) => pointIds.has(keyPoint.result.id))
      .reduce((sum, keyPoint) => sum + keyPoint.weight, 0) +
    unattached * average;
  return Math.min(1, contradicted / total);
}

function referenceKey(input: ScoringInput): string {
  return JSON.stringify([input.question, input.referenceAnswer, input.keyPoints]);
}

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

export type LocalScorer = Scorer & { assess(input: ScoringInput): LocalAssessment };

export function createLocalScorer({ vectors, weights }: LocalScorerConfig): LocalScorer {
  const settings = weights.settings;
  const prepared = new Map<string, PreparedReference>();

  function prepare(input: ScoringInput): PreparedReference {
    const key = referenceKey(input);
    const cached = prepared.get(key);
    if (cached) return cached;
    const context: AnalysisContext = {
      vectors,
      questionStems: questionStemsOf(input.question),
      questionDemotion: settings.questionDemotion,
      lexicon: new Lexicon(),
    };
    const variantsOf = (claim: { text: string; alternatives: readonly string[] }) =>
      [claim.text, ...claim.alternatives].map((text) => analyzeText(text, context));
    const declared = (input.contrasts ?? []).map(sidesOfContrast);
    const asked = declared.length === 0 ? contrastOfQuestion(input.question) : undefined;
    const reference = analyzeText(input.referenceAnswer, context);
    const keyPoints = input.keyPoints.map((keyPoint) => ({ keyPoint, variants: variantsOf(keyPoint) }));
    const known = [reference, ...keyPoints.flatMap((keyPoint) => keyPoint.variants)];
    const contrasts = asked ? [asked] : declared;
    const prepareMisconception = (
      misconception: Misconception,
      keyPointIndex: number | null,
    ): PreparedMisconception => {
      const variants = variantsOf(misconception);
      return { misconception, keyPointIndex, variants, novelWords: novelWordsOf(variants, known, contrasts) };
    };
    const result: PreparedReference = {
      context,
      reference,
      referenceTrigrams: letterTrigrams(reference.words.filter((word) => !word.fromQuestion).map((word) => word.token)),
      expandedReference: analyzeText(
        [
          input.referenceAnswer,
          ...input.keyPoints.flatMap((keyPoint) => [keyPoint.text, ...keyPoint.alternatives]),
        ].join('\n'),
        context,
      ),
      keyPoints,
      misconceptions: [
        ...input.keyPoints.flatMap((keyPoint: KeyPoint, keyPointIndex) =>
          keyPoint.misconceptions.map((misconception) => prepareMisconception(misconception, keyPointIndex)),
        ),
        ...(input.misconceptions ?? []).map((misconception) => prepareMisconception(misconception, null)),
      ],
      contrasts,
      examples: new Map(),
    };
    if (prepared.size >= MAX_PREPARED) prepared.clear();
    prepared.set(key, result);
    return result;
  }

  function analyzeExample(input: ScoringInput, reference: PreparedReference, example: GradedExample): AnalyzedExample {
    let analyzed = reference.examples.get(example.answer);
    if (!analyzed) {
      const lexicon = new Lexicon();
      analyzed = {
        text: analyzeText(example.answer, { ...reference.context, lexicon }),
        lexicon,
        referenceScore: assess({ ...input, answer: example.answer, examples: undefined, panel: undefined })
          .referenceScore,
      };
      if (reference.examples.size >= MAX_EXAMPLES_PER_REFERENCE) reference.examples.clear();
      reference.examples.set(example.answer, analyzed);
    }
    return analyzed;
  }

  /** F1 of the word alignment between the answer and an example, question words demoted. */
  function similarityToExample(answer: AnalyzedText, answerLexicon: Lexicon, example: AnalyzedExample): number {
    const table = new SimilarityTable(answerLexicon, example.lexicon, settings);
    const recall = coverage(example.text.words, alignWords(example.text.words, answer.words, table.columnToRow));
    const precision = coverage(answer.words, alignWords(answer.words, example.text.words, table.rowToColumn));
    return recall + precision === 0 ? 0 : (2 * recall * precision) / (recall + precision);
  }

  function assess(input: ScoringInput): LocalAssessment {
    const preparedReference = prepare(input);
    const {
      context,
      reference,
      expandedReference,
      keyPoints: preparedKeyPoints,
      referenceTrigrams,
    } = preparedReference;
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
    const assessedKeyPoints = assessKeyPoints(preparedKeyPoints, answerForEvidence, pointSimilarity, settings, {
      similarityFor: (index) => roleAwareSimilarity(roles, preparedKeyPoints[index].variants, pointSimilarity),
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
            settings,
            maxScore: input.maxScore,
          });
    // A key point the answer contradicts, or quotes only with what reads as a listed mistake, is not made.
    const contradicted = new Set([...wrongClaims.map((claim) => claim.keyPointId), ...undercut]);
    const keyPoints = assessedKeyPoints.map((assessed) =>
      contradicted.has(assessed.result.id)
        ? { ...assessed, result: { ...assessed.result, status: 'missing' as const, evidence: null } }
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
    const referenceScore = mapping
      ? Math.min(cap, Math.max(0, mapping.intercept + mapping.slope * combined))
      : combined;
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
        keyPoints.some((keyPoint) => keyPoint.deniedBy !== null) ||
          contradicts(contradiction) ||
          wrongClaims.length > 0,
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
      const analyzed = analyzeExample(input, preparedReference, example);
      return {
        id: example.id,
        humanScore: Math.min(1, example.score / example.maxScore),
        referenceScore: analyzed.referenceScore,
        similarity: similarityToExample(answer, answerLexicon, analyzed),
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

  return {
    mode: 'local',
    assess,
    async score(input) {
      // Scoring is synchronous: let waiting requests (a health check) in before each one, so a
      // grade's parts (the answer, then each rival question) never block the server back to back.
      await new Promise((resolve) => setImmediate(resolve));
      return assess(input).grade;
    },
  };
}
