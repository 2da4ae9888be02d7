import type { WordVectors } from '../../embeddings/word-vectors.js';
import type { KeyPoint, Misconception } from '../../rubrics/rubric-schema.js';
import type { ScoringInput } from '../scorer.js';
import {
  analyzeText,
  questionStemsOf,
  type AnalysisContext,
  type AnalyzedText,
} from '../../similarity/analyzed-text.js';
import type { PreparedKeyPoint } from './key-point-coverage.js';
import type { LocalScorerWeights } from './local-scorer-weights.js';
import { Lexicon } from '../../similarity/lexicon.js';
import { letterTrigrams } from '../../text/trigrams.js';
import { contrastOfQuestion, sidesOfContrast, type ContrastSides } from './contrast-roles.js';
import { novelWordsOf, sideWordsNewTo, type PreparedMisconception } from './wrong-claims.js';

/** The reference side of a question, analysed once and reused for every answer to it. */
export interface PreparedReference {
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

export interface AnalyzedExample {
  text: AnalyzedText;
  lexicon: Lexicon;
  referenceScore: number;
}

const MAX_PREPARED = 2_000;

function referenceKey(input: ScoringInput): string {
  return JSON.stringify([input.question, input.referenceAnswer, input.keyPoints]);
}

/** The question's reference side, analysed once: `cache` keeps up to MAX_PREPARED of them. */
export function preparedReferenceFor(
  cache: Map<string, PreparedReference>,
  input: ScoringInput,
  vectors: WordVectors,
  settings: LocalScorerWeights['settings'],
): PreparedReference {
  const key = referenceKey(input);
  const cached = cache.get(key);
  if (cached) return cached;
  const prepared = prepareReference(input, vectors, settings);
  if (cache.size >= MAX_PREPARED) cache.clear();
  cache.set(key, prepared);
  return prepared;
}

/** Analyses the question, reference, key points, misconceptions and contrasts a rubric gives. */
function prepareReference(
  input: ScoringInput,
  vectors: WordVectors,
  settings: LocalScorerWeights['settings'],
): PreparedReference {
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
  const prepareMisconception = (misconception: Misconception, keyPointIndex: number | null): PreparedMisconception => {
    const variants = variantsOf(misconception);
    const point = keyPointIndex === null ? null : keyPoints[keyPointIndex].variants[0];
    return {
      misconception,
      keyPointIndex,
      variants,
      novelWords: novelWordsOf(variants, known, contrasts),
      sideWords: sideWordsNewTo(variants, point, contrasts),
    };
  };
  const result: PreparedReference = {
    context,
    reference,
    referenceTrigrams: letterTrigrams(reference.words.filter((word) => !word.fromQuestion).map((word) => word.token)),
    expandedReference: analyzeText(
      [input.referenceAnswer, ...input.keyPoints.flatMap((keyPoint) => [keyPoint.text, ...keyPoint.alternatives])].join(
        '\n',
      ),
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
  return result;
}
