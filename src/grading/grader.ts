import type { AnswerkeyConfig } from '../config/config.js';
import { createEmbeddings, type EmbedderChoice } from '../embeddings/create-embeddings.js';
import { WordVectors } from '../embeddings/word-vectors.js';
import { BankRetriever } from '../retrieval/bank-retriever.js';
import { createTextSimilarity, type TextSimilarity } from '../similarity/text-similarity.js';
import {
  buildReferenceIndex,
  openReferenceIndex,
  type ReferenceIndex,
  type ReferenceKind,
  type ReferenceMatch,
} from '../retrieval/reference-index.js';
import { loadQuestionBank, type QuestionBank } from '../rubrics/question-bank.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import type { Grade } from './grade-schema.js';
import { createGradingPipeline, type GradeRequest } from './grading-pipeline.js';
import { createLocalScorer, type LocalScorer } from './local-scorer/local-scorer.js';
import { loadLocalScorerWeights } from './local-scorer/local-scorer-weights.js';

export interface GraderOptions {
  /** Where one-line notices go (an index rebuilt, a fallback taken). */
  notice?: (message: string) => void;
}

export interface LookupMatch extends ReferenceMatch {
  rubric: Rubric;
}

/**
 * The program's parts wired from one configuration, each opened on first use: listing the
 * bank never loads vectors, grading by id never opens the index.
 */
export function createGrader(config: AnswerkeyConfig, options: GraderOptions = {}) {
  const notice = options.notice ?? (() => undefined);
  const bank: QuestionBank = loadQuestionBank(config.bankDirectory);
  let vectors: WordVectors | undefined;
  let embedder: Promise<EmbedderChoice> | undefined;
  let index: Promise<ReferenceIndex> | undefined;

  const getVectors = () => (vectors ??= WordVectors.open(config.vectorsPath));
  const getEmbedder = () => (embedder ??= createEmbeddings(config, getVectors));
  const indexConfig = async () => ({
    bank,
    ...(await getEmbedder().then(({ embeddings, id }) => ({ embeddings, embedderId: id }))),
    directory: config.indexDirectory,
    rebuild: config.indexRebuild,
    onRebuild: (reason: string) => notice(`rebuilding the reference index: ${reason}`),
  });
  const getIndex = () => (index ??= indexConfig().then(openReferenceIndex));
  let scorer: LocalScorer | undefined;
  const getScorer = () => (scorer ??= createLocalScorer({ vectors: getVectors(), weights: loadLocalScorerWeights(config.weightsPath) }));
  const similarities = new Map<ReferenceKind, TextSimilarity>();
  const similarityFor = (kind: ReferenceKind): TextSimilarity => {
    let measure = similarities.get(kind);
    if (!measure) similarities.set(kind, (measure = createTextSimilarity(getVectors(), kind === 'question' ? 'f1' : 'recall')));
    return measure;
  };
  const retrieverFor = async (kind: ReferenceKind, limit: number) =>
    new BankRetriever({ bank, index: await getIndex(), kind, limit, rescore: similarityFor(kind) });
  let pipeline: ReturnType<typeof createGradingPipeline> | undefined;
  const getPipeline = () =>
    (pipeline ??= createGradingPipeline({
      bank,
      scorer: getScorer(),
      matchThreshold: config.matchThreshold,
      questionRetriever: () => retrieverFor('question', 3),
      offTopicGuard: { index: getIndex, scorer: getScorer() },
    }));

  return {
    config,
    bank,
    get scorer(): LocalScorer {
      return getScorer();
    },
    grade: (request: GradeRequest): Promise<Grade> => getPipeline().invoke(request),
    /** The nearest bank entries to a question (or, by reference answer, to an answer), best first. */
    async lookup(text: string, kind: ReferenceKind, limit = 3): Promise<LookupMatch[]> {
      const documents = await (await retrieverFor(kind, limit)).invoke(text);
      return documents.flatMap(({ metadata }) => {
        const rubric = bank.get(metadata.questionId);
        return rubric ? [{ ...metadata, rubric }] : [];
      });
    },
    buildIndex: async () => buildReferenceIndex(await indexConfig()),
    /** Loads the index and analyses every bank reference now, so the first requests are not slow. */
    async warmUp(): Promise<void> {
      await getIndex();
      for (const rubric of bank.rubrics) await getPipeline().invoke({ questionId: rubric.id, answer: rubric.referenceAnswer });
    },
    close: () => vectors?.close(),
  };
}

export type Grader = ReturnType<typeof createGrader>;
