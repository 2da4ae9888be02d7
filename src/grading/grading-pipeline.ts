import { RunnableLambda, RunnableSequence, type Runnable } from '@langchain/core/runnables';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { FindNearestExamples } from '../retrieval/nearest-examples.js';
import type { BankRetriever } from '../retrieval/bank-retriever.js';
import { deriveKeyPoints } from '../rubrics/derive-key-points.js';
import type { ReferenceIndex } from '../retrieval/reference-index.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import type { Grade } from './grade-schema.js';
import { gradeIdOf } from './grade-id.js';
import type { GradeRequest } from './grade-request.js';
import type { PanelPrior } from './local-scorer/index.js';
import { guardAgainstOtherQuestions, OFF_TOPIC_DEFAULTS } from './off-topic-guard.js';
import { scoringInputForRubric, type Scorer, type ScoringInput } from './scorer.js';

/** One answer to grade, with the question given by bank id, by text, or inline with its reference. */
export interface GradingPipelineConfig {
  bank: QuestionBank;
  /** Opened lazily: grading by id or inline never needs the vector index. */
  questionRetriever: () => Promise<BankRetriever>;
  scorer: Scorer;
  matchThreshold: number;
  /** When given, answers that fit another bank question far better are capped and flagged off_topic. */
  offTopicGuard?: { index: () => Promise<ReferenceIndex>; scorer: Scorer };
  /** Graded examples of a bank question nearest to the answer, given to the scorer; none without it. */
  nearestExamples?: FindNearestExamples;
  /** What all the panel's graded examples agree on, given to the scorer with a question's examples. */
  panelPrior?: () => PanelPrior;
}

const AD_HOC_MAX_SCORE = 5;

function unknownIdError(bank: QuestionBank, questionId: string): AnswerkeyError {
  const ids = bank.rubrics.map((rubric) => rubric.id);
  // Each entry point words the hint from the ids (the CLI lists them, the API names its route).
  return new AnswerkeyError('question_not_found', `no question "${questionId}" in the bank`, {
    details: { reason: 'unknown_question_id', knownIds: ids },
  });
}

const sameText = (left: string, right: string) =>
  left.trim().replace(/\s+/g, ' ').toLowerCase() === right.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * A request naming a bank id and a question text must mean one question: the id's own text, or
 * text that matches it. Otherwise which one was meant is a guess, so neither is taken.
 */
async function refuseOtherQuestion(
  config: Omit<GradingPipelineConfig, 'scorer'>,
  questionId: string,
  bankQuestion: string,
  asked: string,
): Promise<void> {
  if (sameText(asked, bankQuestion)) return;
  const [best] = await (await config.questionRetriever()).invoke(asked);
  const matched = best && best.metadata.similarity >= config.matchThreshold ? best.metadata.questionId : null;
  if (matched === questionId) return;
  const questionProblem = matched
    ? `matches ${matched}, not ${questionId}`
    : `matches no bank question, so not ${questionId}`;
  throw new AnswerkeyError(
    'invalid_input',
    `questionId and question name different questions: questionId is ${questionId}, question ${questionProblem}`,
    {
      hint: 'give the question once: by id or by text',
      details: {
        reason: 'question_given_twice',
        errors: [
          { path: 'questionId', message: `is ${questionId}, which question does not match` },
          { path: 'question', message: questionProblem },
        ],
      },
    },
  );
}

/** Turns a request into what a scorer needs: finds the bank entry, or takes the inline reference. */
export function createReferenceResolver(config: Omit<GradingPipelineConfig, 'scorer'>) {
  return async (request: GradeRequest): Promise<ScoringInput> => {
    const { bank } = config;
    if (request.referenceAnswer !== undefined) {
      if (request.referenceAnswer.trim() === '') {
        throw new AnswerkeyError('invalid_input', 'the inline reference answer is empty', {
          hint: 'give the reference answer text, or name a bank question',
        });
      }
      if (!request.question) {
        throw new AnswerkeyError('invalid_input', 'an inline reference answer needs its question', {
          hint: 'give the question text with the reference answer',
          details: { reason: 'reference_without_question' },
        });
      }
      return {
        questionId: null,
        question: request.question,
        referenceAnswer: request.referenceAnswer,
        keyPoints: deriveKeyPoints(request.referenceAnswer),
        keyPointSource: 'derived',
        maxScore: request.maxScore ?? AD_HOC_MAX_SCORE,
        answer: request.answer,
        reference: { questionId: null, similarity: 1 },
        samples: request.samples,
      };
    }
    let rubric;
    let similarity = 1;
    if (request.questionId !== undefined) {
      rubric = bank.get(request.questionId);
      if (!rubric) throw unknownIdError(bank, request.questionId);
      if (request.question !== undefined)
        await refuseOtherQuestion(config, rubric.id, rubric.question, request.question);
    } else if (request.question) {
      const retriever = await config.questionRetriever();
      const matches = await retriever.invoke(request.question);
      const best = matches[0];
      if (!best || best.metadata.similarity < config.matchThreshold) {
        const nearest = matches
          .map((match) => `${match.metadata.questionId} (${match.metadata.similarity.toFixed(2)})`)
          .join(', ');
        throw new AnswerkeyError(
          'question_not_found',
          `no matching question in the bank; nearest: ${nearest || 'none'}`,
          {
            hint: 'name the question by bank id, or give its reference answer inline',
            details: {
              reason: 'no_matching_question',
              nearest: matches.map((match) => ({
                questionId: match.metadata.questionId,
                similarity: match.metadata.similarity,
                question: match.pageContent,
              })),
            },
          },
        );
      }
      rubric = bank.get(best.metadata.questionId);
      similarity = best.metadata.similarity;
    } else {
      throw new AnswerkeyError('invalid_input', 'say which question the answer is for', {
        hint: 'name the question by bank id, by its text, or by its text with a reference answer',
        details: { reason: 'question_missing' },
      });
    }
    if (!rubric) throw unknownIdError(bank, String(request.questionId));
    return { ...scoringInputForRubric(rubric, request.answer, similarity, request.maxScore), samples: request.samples };
  };
}

/**
 * Retrieval, then scoring, as one LangChain runnable. LLM mode swaps the scorer and keeps the rest.
 */
export function createGradingPipeline(config: GradingPipelineConfig): Runnable<GradeRequest, Grade> {
  const guard = async ({ input, grade }: { input: ScoringInput; grade: Grade }): Promise<Grade> =>
    config.offTopicGuard && input.questionId !== null
      ? guardAgainstOtherQuestions(grade, input, {
          ...OFF_TOPIC_DEFAULTS,
          bank: config.bank,
          index: config.offTopicGuard.index,
          scorer: config.offTopicGuard.scorer,
        })
      : grade;
  const withExamples = async (input: ScoringInput): Promise<ScoringInput> => {
    if (!config.nearestExamples || input.questionId === null) return input;
    const examples = await config.nearestExamples(input.questionId, input.answer);
    return examples.length === 0
      ? input
      : { ...input, examples, ...(config.panelPrior ? { panel: config.panelPrior() } : {}) };
  };
  return RunnableSequence.from([
    RunnableLambda.from(createReferenceResolver(config)).withConfig({ runName: 'resolve-reference' }),
    RunnableLambda.from(withExamples).withConfig({ runName: 'retrieve-examples' }),
    RunnableLambda.from(async (input: ScoringInput) => ({ input, grade: await config.scorer.score(input) })).withConfig(
      {
        runName: `score-${config.scorer.mode}`,
      },
    ),
    RunnableLambda.from(async (scored: { input: ScoringInput; grade: Grade }) => ({
      id: gradeIdOf(scored.input),
      ...(await guard(scored)),
    })).withConfig({
      runName: 'off-topic-guard',
    }),
  ]);
}
