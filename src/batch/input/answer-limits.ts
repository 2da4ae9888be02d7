import { MAX_ANSWER_CHARACTERS, MAX_QUESTION_CHARACTERS } from '../../grading/answer-limits.js';
import { excerptOf, type BatchAnswer, type InputProblem } from '../batch-answer.js';

const count = (value: number) => value.toLocaleString('en-US');

/**
 * The texts of an answer the grader would not take (the API's limits): an answer or a reference
 * over 20,000 characters, a question over 2,000. Such an answer is reported, not graded.
 */
export function overLimitProblem(answer: BatchAnswer): InputProblem | undefined {
  const { question, referenceAnswer } = answer.questionRef;
  const reason =
    answer.answer.length > MAX_ANSWER_CHARACTERS
      ? `the answer has ${count(answer.answer.length)} characters, over the ${count(MAX_ANSWER_CHARACTERS)} an answer may have; shorten it or grade it by hand`
      : question !== undefined && question.length > MAX_QUESTION_CHARACTERS
        ? `the question has ${count(question.length)} characters, over the ${count(MAX_QUESTION_CHARACTERS)} a question may have`
        : referenceAnswer !== undefined && referenceAnswer.length > MAX_ANSWER_CHARACTERS
          ? `the reference answer has ${count(referenceAnswer.length)} characters, over the ${count(MAX_ANSWER_CHARACTERS)} it may have`
          : undefined;
  if (reason === undefined) return undefined;
  return {
    kind: 'too_long',
    source: answer.source,
    reason,
    candidateId: answer.candidateId,
    questionKey: answer.questionKey,
    excerpt: excerptOf(answer.answer),
  };
}
