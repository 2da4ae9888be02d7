import type { AnswerkeyConfig } from '../config/config.js';
import { createEmbeddings, type EmbedderChoice } from '../embeddings/create-embeddings.js';
import { withStoredVectors, type VectorShelf } from '../embeddings/stored-vector-embeddings.js';
import { WordVectors } from '../embeddings/word-vectors.js';
import { createBankSpelling, type QueryCorrector } from '../retrieval/bank-spelling.js';
import { expandAliases } from '../retrieval/query-aliases.js';
import { createQuestionSimilarity } from '../retrieval/question-similarity.js';
import { BankRetriever } from '../retrieval/bank-retriever.js';
import { createTextSimilarity, type TextSimilarity } from '../similarity/text-similarity.js';
import {
  createLiveReferenceIndex,
  type LiveReferenceIndex,
  type ReferenceIndexStore,
} from '../retrieval/live-reference-index.js';
import type { ReferenceIndex, ReferenceKind } from '../retrieval/reference-index.js';
import { loadQuestionBank, type QuestionBank } from '../rubrics/question-bank.js';
import { AnswerkeyError, describeFailure } from '../errors/answerkey-error.js';
import { createExampleStore, type ExampleStore, type SourcedDraft } from '../examples/example-store.js';
import { openPostgresExampleStore } from '../examples/postgres-example-store.js';
import type { Database } from '../database/database.js';
import { assertMigrated } from '../database/migrations.js';
import { openDatabase } from '../database/open-database.js';
import { createReviewLog, type ReviewLog } from '../reviews/review-log.js';
import { createPostgresReviewLog } from '../reviews/postgres-review-log.js';
import { createNearestExamples } from '../retrieval/nearest-examples.js';
import { createChatScorer, type ChatScorerConfig } from '../llm/chat-scorer.js';
import type { RequestGate } from '../llm/shared-request-limit.js';
import type { Grade } from '../grading/grade-schema.js';
import type { GradeRequest } from '../grading/grade-request.js';
import { createGradingPipeline } from '../grading/grading-pipeline.js';
import {
  createLocalScorer,
  createPanelPriorSource,
  createThreadedScorer,
  loadLocalScorerWeights,
  type LocalScorer,
  type ThreadedScorer,
} from '../grading/local-scorer/index.js';
import { scoringInputForRubric, type Scorer } from '../grading/scorer.js';
import type { AnswerkeyApp, ExampleRemoved, ExamplesAdded, LookupMatch, RebuildWarning } from './grader.js';

export interface GraderOptions {
  /** Where one-line notices go (an index rebuilt, a fallback taken). */
  notice?: (message: string) => void;
  /** Retry timing of LLM calls, for tests. */
  llmBackoff?: ChatScorerConfig['backoff'];
  /** For tests: how the index is built and opened. */
  indexStore?: ReferenceIndexStore;
  /** Aborts model calls in flight (Ctrl-C, SIGTERM): their grades fail as interrupted, never graded locally instead. */
  stop?: AbortSignal;
  /** Local grades scored on this many worker threads (the server: a long answer never holds up other requests); 0 or absent: in this thread. */
  scoringThreads?: number;
  /** LLM mode: a limit on requests to the model server shared with other processes (llm/shared-request-limit.ts). */
  llmRequestGate?: RequestGate;
}

/** Where the graded examples and the review log are kept, and how a grade brings them up to date first. */
interface GraderStores {
  examples: ExampleStore;
  reviewLog: ReviewLog;
  /** Reads what other processes changed since; absent for files, which are read again whenever they change. */
  refreshExamples?: () => Promise<unknown>;
  /** Where the examples' vectors are kept for other processes, by embedder; absent for files. */
  vectorShelf?: (embedderId: string) => VectorShelf;
}

/** After a rebuild or reopening of the index failed, grading tries again this long after, not at every grade. */
const INDEX_RETRY_AFTER_MS = 30_000;

/**
 * The index, for finding a question's examples: opened again when another process changed them.
 * When that fails (a rebuild that fails, or ANSWERKEY_INDEX_REBUILD=never), grading goes on with the
 * index it has, says so once, and tries again only INDEX_RETRY_AFTER_MS after the last failure.
 */
function indexWithCurrentExamples(
  index: LiveReferenceIndex,
  examples: ExampleStore,
  notice: (message: string) => void,
): () => Promise<ReferenceIndex> {
  let failureNoticed = false;
  const retryDue = () => index.lastFailedAt === undefined || Date.now() - index.lastFailedAt >= INDEX_RETRY_AFTER_MS;
  return async () => {
    const opened = await index.current();
    if (opened.examplesHash === examples.hash()) {
      failureNoticed = false;
      return opened;
    }
    // Changed here, the rebuild under way will serve the next grades; until it is ready, this index does.
    if (index.refreshing || !retryDue()) return opened;
    try {
      return await index.reopen();
    } catch (error) {
      if (!failureNoticed) {
        const retry = `grading goes on with the index as it is, and tries again in ${INDEX_RETRY_AFTER_MS / 1000} s`;
        notice(
          `could not bring the reference index up to date with the graded examples (${describeFailure(error)}); ${retry}`,
        );
      }
      failureNoticed = true;
      return opened;
    }
  };
}

/** Rebuilds the index after a change to the examples: undefined when done, a warning when it failed (the change stays made). */
async function rebuildAfterChange(
  index: LiveReferenceIndex,
  rebuild: AnswerkeyConfig['indexRebuild'],
): Promise<RebuildWarning | undefined> {
  try {
    await index.rebuild();
    return undefined;
  } catch (error) {
    return { error, ...(rebuild === 'auto' ? { retryAfterMs: INDEX_RETRY_AFTER_MS } : {}) };
  }
}

/**
 * The program's parts wired from one configuration, each opened on first use: listing the
 * bank never loads vectors, grading by id never opens the index.
 */
export function createGrader(config: AnswerkeyConfig, options: GraderOptions = {}): AnswerkeyApp {
  const notice = options.notice ?? (() => undefined);
  const bank = loadQuestionBank(config.bankDirectory);
  return wireGrader(config, options, bank, {
    examples: createExampleStore({ directory: config.examplesDirectory, bank, onBadLines: notice }),
    reviewLog: createReviewLog(config.examplesDirectory),
  });
}

export interface OpenGraderOptions extends GraderOptions {
  /** The database to keep the stores in, when the caller has one open already (a worker); closed by its owner. */
  database?: Database;
}

/** A grader on the stores of its configuration, and the database they are in (to be closed with it). */
export interface OpenedGrader {
  grader: AnswerkeyApp;
  /** The database when one is configured: the graded examples and the review log are in it. */
  database: Database | undefined;
  /** Closes the grader, and the database when openGrader opened it. */
  close(): Promise<void>;
}

/**
 * The grader of a process that may share its stores with others (`answerkey serve`, workers): with
 * a database configured (--database-url / ANSWERKEY_DATABASE_URL), checks it is migrated and keeps
 * the graded examples and the review log in it, and each grade first reads what other processes
 * changed (one version check when nothing did), so an example stored through one replica is used by
 * every replica's next grade. Without one it is createGrader's, on files.
 */
export async function openGrader(config: AnswerkeyConfig, options: OpenGraderOptions = {}): Promise<OpenedGrader> {
  const { database: given, ...graderOptions } = options;
  if (config.databaseUrl === undefined && given === undefined) {
    const grader = createGrader(config, graderOptions);
    return { grader, database: undefined, close: async () => grader.close() };
  }
  const database = given ?? openDatabase(config.databaseUrl ?? '');
  const closeDatabase = async () => {
    if (given === undefined) await database.close();
  };
  try {
    const notice = options.notice ?? (() => undefined);
    const bank = loadQuestionBank(config.bankDirectory);
    await assertMigrated(database);
    const examples = await openPostgresExampleStore({ database, bank, onBadLines: notice });
    const grader = wireGrader(config, graderOptions, bank, {
      examples,
      reviewLog: createPostgresReviewLog(database),
      refreshExamples: () => examples.refresh(),
      vectorShelf: (embedderId) => examples.vectorShelf(embedderId),
    });
    return {
      grader,
      database,
      async close() {
        grader.close();
        await closeDatabase();
      },
    };
  } catch (error) {
    await closeDatabase();
    throw error;
  }
}

/** The program's parts on one bank and one set of stores. */
function wireGrader(
  config: AnswerkeyConfig,
  options: GraderOptions,
  bank: QuestionBank,
  { examples, reviewLog, refreshExamples = async () => undefined, vectorShelf }: GraderStores,
): AnswerkeyApp {
  const notice = options.notice ?? (() => undefined);
  let vectors: WordVectors | undefined;
  let embedder: Promise<EmbedderChoice> | undefined;

  const getVectors = () => (vectors ??= WordVectors.open(config.vectorsPath));
  let scorer: LocalScorer | undefined;
  const getScorer = () =>
    (scorer ??= createLocalScorer({ vectors: getVectors(), weights: loadLocalScorerWeights(config.weightsPath) }));
  let threadedScorer: ThreadedScorer | undefined;
  const getThreadedScorer = (threads: number): ThreadedScorer =>
    // The weights are checked here first: a bad file fails the grade with its own error, not a thread's.
    (threadedScorer ??=
      (getScorer(),
      createThreadedScorer({ vectorsPath: config.vectorsPath, weightsPath: config.weightsPath, threads })));
  const { scoringThreads } = options;
  // Grades in local mode (and the off-topic guard's) on worker threads when asked.
  const getGradingScorer = (): Scorer => (scoringThreads ? getThreadedScorer(scoringThreads) : getScorer());
  // So are the local embeddings of answers the index is searched for (the off-topic guard, graded examples).
  const getEmbedder = () =>
    (embedder ??= createEmbeddings(
      config,
      getVectors,
      scoringThreads ? (text) => getThreadedScorer(scoringThreads).embed(text) : undefined,
    ));
  const indexConfig = async () => ({
    bank,
    ...(await getEmbedder().then(({ embeddings, id }) => ({
      // The examples' vectors another process computed are taken from the store, and those computed here kept there.
      embeddings:
        vectorShelf === undefined
          ? embeddings
          : withStoredVectors(embeddings, vectorShelf(id), (error) =>
              notice(
                `could not use the vectors kept with the graded examples (${describeFailure(error)}); computing them`,
              ),
            ),
      embedderId: id,
    }))),
    directory: config.indexDirectory,
    rebuild: config.indexRebuild,
    onRebuild: (reason: string) => notice(`rebuilding the reference index: ${reason}`),
    examples: () => examples.list(),
    examplesHash: () => examples.hash(),
    // With graded examples off, grading never reads them: any index of this bank will do.
    checkExamples: config.exampleCount > 0,
  });
  const index = createLiveReferenceIndex(indexConfig, options.indexStore);
  const getIndex = () => index.current();
  const getIndexWithCurrentExamples = indexWithCurrentExamples(index, examples, notice);
  const nearestExamples = createNearestExamples({
    store: examples,
    index: getIndexWithCurrentExamples,
    count: config.exampleCount,
  });
  const panelPrior = createPanelPriorSource({
    examples: () => examples.list(),
    inputFor: (example) => {
      const rubric = bank.get(example.questionId);
      return rubric && { ...scoringInputForRubric(rubric, example.answer, 1), maxScore: example.maxScore };
    },
    referenceScore: (input) => getScorer().assess(input).referenceScore,
  });
  const similarities = new Map<ReferenceKind, TextSimilarity>();
  const detailsByQuestion = new Map(
    bank.rubrics.map((rubric) => [
      expandAliases(rubric.question),
      expandAliases([rubric.referenceAnswer, ...rubric.keyPoints.map((point) => point.text)].join('\n')),
    ]),
  );
  const similarityFor = (kind: ReferenceKind): TextSimilarity => {
    let measure = similarities.get(kind);
    if (!measure) {
      const textSimilarity =
        kind === 'question'
          ? createQuestionSimilarity(
              getVectors(),
              bank.rubrics.map((rubric) => expandAliases(rubric.question)),
              (question) => detailsByQuestion.get(question) ?? '',
            )
          : createTextSimilarity(getVectors(), 'recall');
      // The bank's own short forms ("ML models", "TF") read as the query's expanded ones do.
      similarities.set(kind, (measure = (query, text) => textSimilarity(query, expandAliases(text))));
    }
    return measure;
  };
  let correctSpelling: QueryCorrector | undefined;
  // Short forms first ("tf" is no typo of anything), then typos against the bank's words.
  const correctQuery =
    (spelling: QueryCorrector): QueryCorrector =>
    (query) =>
      spelling(expandAliases(query));
  const retrieverFor = async (kind: ReferenceKind, limit: number) =>
    new BankRetriever({
      bank,
      index: await getIndex(),
      kind,
      limit,
      rescore: similarityFor(kind),
      correctSpelling: (correctSpelling ??= correctQuery(createBankSpelling(bank, getVectors()))),
    });
  // LLM mode is on offer when a server is configured, whether or not it is the default.
  const llmConfigured = Boolean(config.openai.apiKey || config.openai.baseUrl);
  let chatScorer: Scorer | undefined;
  const getChatScorer = () =>
    (chatScorer ??= createChatScorer({
      llm: config.llm,
      openai: config.openai,
      local: getScorer(),
      backoff: options.llmBackoff,
      notice,
      stop: options.stop,
      requestGate: options.llmRequestGate,
    }));
  const pipelines = new Map<Grade['mode'], ReturnType<typeof createGradingPipeline>>();
  let noticeGiven = false;
  const getPipeline = (mode: Grade['mode'] = 'local') => {
    let pipeline = pipelines.get(mode);
    if (!pipeline) {
      pipeline = createGradingPipeline({
        bank,
        scorer: mode === 'llm' ? getChatScorer() : getGradingScorer(),
        matchThreshold: config.matchThreshold,
        questionRetriever: () => retrieverFor('question', 3),
        offTopicGuard: { index: getIndex, scorer: getGradingScorer() },
        nearestExamples,
        panelPrior,
      });
      pipelines.set(mode, pipeline);
    }
    return pipeline;
  };
  const modeFor = (request: GradeRequest): Grade['mode'] => {
    if (request.mode === 'llm' && !llmConfigured) {
      throw new AnswerkeyError('not_implemented', 'LLM mode is not configured here', {
        hint: 'set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or grade in local mode',
        details: { reason: 'llm_not_configured' },
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
    async grade(request: GradeRequest): Promise<Grade> {
      const pipeline = getPipeline(modeFor(request));
      // Another process may have changed the examples: the index follows when their hash moved.
      await refreshExamples();
      return pipeline.invoke(request);
    },
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
    reviewLog,
    async syncExamples(): Promise<void> {
      await refreshExamples();
    },
    /**
     * Stores graded examples (all or none) and waits for a rebuild of the index that includes them, so
     * the next grade uses them. Grades meanwhile use the index as it was; changes made together share a
     * rebuild. A rebuild that fails does not undo the change: it comes back as a warning.
     */
    async addExamples(drafts: readonly SourcedDraft[]): Promise<ExamplesAdded> {
      const added = await examples.add(drafts);
      const warning = await rebuildAfterChange(index, config.indexRebuild);
      return { added, ...(warning === undefined ? {} : { warning }) };
    },
    async removeExample(id: string): Promise<ExampleRemoved> {
      const removed = await examples.remove(id);
      const warning = await rebuildAfterChange(index, config.indexRebuild);
      return { removed, ...(warning === undefined ? {} : { warning }) };
    },
    /** Loads the index and analyses every bank reference now, so the first requests are not slow. */
    async warmUp(): Promise<void> {
      await getIndex();
      for (const rubric of bank.rubrics)
        await getPipeline().invoke({ questionId: rubric.id, answer: rubric.referenceAnswer });
    },
    close: () => {
      vectors?.close();
      void threadedScorer?.close();
    },
  };
}
