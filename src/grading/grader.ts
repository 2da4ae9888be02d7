import type { AnswerkeyConfig } from '../config/config.js';
import { createEmbeddings, type EmbedderChoice } from '../embeddings/create-embeddings.js';
import { WordVectors } from '../embeddings/word-vectors.js';
import { BankRetriever } from '../retrieval/bank-retriever.js';
import { createTextSimilarity, type TextSimilarity } from '../similarity/text-similarity.js';
import { createLiveReferenceIndex } from '../retrieval/live-reference-index.js';
import type { ReferenceIndex, ReferenceKind, ReferenceMatch } from '../retrieval/reference-index.js';
import { loadQuestionBank, type QuestionBank } from '../rubrics/question-bank.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { createExampleStore, type ExampleStore, type SourcedDraft } from '../examples/example-store.js';
import type { GradedExample } from '../examples/graded-example.js';
import { createNearestExamples } from '../examples/nearest-examples.js';
import { createChatScorer, type ChatScorerConfig } from '../llm/chat-scorer.js';
import type { Grade } from './grade-schema.js';
import { createGradingPipeline, type GradeRequest } from './grading-pipeline.js';
import { createLocalScorer, type LocalScorer } from './local-scorer/local-scorer.js';
import type { Scorer } from './scorer.js';
import { loadLocalScorerWeights } from './local-scorer/local-scorer-weights.js';

export interface GraderOptions {
  /** Where one-line notices go (an index rebuilt, a fallback taken). */
  notice?: (message: string) => void;
  /** Retry timing of LLM calls, for tests. */
  llmBackoff?: ChatScorerConfig['backoff'];
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
  const examples: ExampleStore = createExampleStore({ directory: config.examplesDirectory, bank, onBadLines: notice });

  const getVectors = () => (vectors ??= WordVectors.open(config.vectorsPath));
  const getEmbedder = () => (embedder ??= createEmbeddings(config, getVectors));
  const indexConfig = async () => ({
    bank,
    ...(await getEmbedder().then(({ embeddings, id }) => ({ embeddings, embedderId: id }))),
    directory: config.indexDirectory,
    rebuild: config.indexRebuild,
    onRebuild: (reason: string) => notice(`rebuilding the reference index: ${reason}`),
    examples: () => examples.list(),
    examplesHash: () => examples.hash(),
    // With graded examples off, grading never reads them: any index of this bank will do.
    checkExamples: config.exampleCount > 0,
  });
  const index = createLiveReferenceIndex(indexConfig);
  const getIndex = () => index.current();
  /** The index, for finding a question's examples: opened again when another process changed them. */
  const getIndexWithCurrentExamples = async (): Promise<ReferenceIndex> => {
    const opened = await index.current();
    // Changed here, the rebuild under way will serve the next grades; until it is ready, this index does.
    if (opened.examplesHash === examples.hash() || index.refreshing) return opened;
    return index.reopen();
  };
  const nearestExamples = createNearestExamples({ store: examples, index: getIndexWithCurrentExamples, count: config.exampleCount });
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
  // LLM mode is on offer when a server is configured, whether or not it is the default.
  const llmConfigured = Boolean(config.openai.apiKey || config.openai.baseUrl);
  let chatScorer: Scorer | undefined;
  const getChatScorer = () =>
    (chatScorer ??= createChatScorer({ llm: config.llm, openai: config.openai, local: getScorer(), backoff: options.llmBackoff }));
  const pipelines = new Map<Grade['mode'], ReturnType<typeof createGradingPipeline>>();
  let noticeGiven = false;
  const getPipeline = (mode: Grade['mode'] = 'local') => {
    let pipeline = pipelines.get(mode);
    if (!pipeline) {
      pipeline = createGradingPipeline({
        bank,
        scorer: mode === 'llm' ? getChatScorer() : getScorer(),
        matchThreshold: config.matchThreshold,
        questionRetriever: () => retrieverFor('question', 3),
        offTopicGuard: { index: getIndex, scorer: getScorer() },
        nearestExamples,
      });
      pipelines.set(mode, pipeline);
    }
    return pipeline;
  };
  const modeFor = (request: GradeRequest): Grade['mode'] => {
    if (request.mode === 'llm' && !llmConfigured) {
      throw new AnswerkeyError('not_implemented', 'LLM mode is not configured here', {
        hint: 'set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or use mode "local"',
      });
    }
    if (!request.mode && config.modeNotice && !noticeGiven) {
      noticeGiven = true;
      notice(config.modeNotice);
    }
    return request.mode ?? config.mode;
  };

  return {
    config,
    bank,
    get scorer(): LocalScorer {
      return getScorer();
    },
    /** Whether requests may ask for LLM mode. */
    llmConfigured,
    grade: async (request: GradeRequest): Promise<Grade> => getPipeline(modeFor(request)).invoke(request),
    /** The nearest bank entries to a question (or, by reference answer, to an answer), best first. */
    async lookup(text: string, kind: ReferenceKind, limit = 3): Promise<LookupMatch[]> {
      const documents = await (await retrieverFor(kind, limit)).invoke(text);
      return documents.flatMap(({ metadata }) => {
        const rubric = bank.get(metadata.questionId);
        return rubric ? [{ ...metadata, rubric }] : [];
      });
    },
    buildIndex: () => index.rebuild(),
    /** The interviewers' graded answers; add and remove them through the grader, which keeps the index current. */
    examples,
    /**
     * Stores graded examples (all or none) and waits for a rebuild of the index that includes them, so
     * the next grade uses them. Grades meanwhile use the index as it was; changes made together share a rebuild.
     */
    async addExamples(drafts: readonly SourcedDraft[]): Promise<GradedExample[]> {
      const added = await examples.add(drafts);
      await index.rebuild();
      return added;
    },
    async removeExample(id: string): Promise<GradedExample> {
      const removed = await examples.remove(id);
      await index.rebuild();
      return removed;
    },
    /** Loads the index and analyses every bank reference now, so the first requests are not slow. */
    async warmUp(): Promise<void> {
      await getIndex();
      for (const rubric of bank.rubrics) await getPipeline().invoke({ questionId: rubric.id, answer: rubric.referenceAnswer });
    },
    close: () => vectors?.close(),
  };
}

export type Grader = ReturnType<typeof createGrader>;
