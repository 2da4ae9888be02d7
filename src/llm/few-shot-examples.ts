import type { GradedExample } from '../examples/graded-example.js';
import type { Grade } from '../grading/grade-schema.js';
import type { ScoringInput } from '../grading/scorer.js';
import { fenceAnswer } from './fence-answer.js';

/** At most this many graded examples go into the prompt: enough to calibrate, few enough to stay cheap. */
export const MAX_SHOWN_EXAMPLES = 5;
const MAX_EXAMPLE_CHARACTERS = 1_500;
const MAX_NOTE_CHARACTERS = 400;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The examples the model is shown: the nearest few of those retrieved, nearest first. */
export function shownExamples(input: ScoringInput): readonly GradedExample[] {
  return input.examples?.slice(0, MAX_SHOWN_EXAMPLES) ?? [];
}

/** Long text cut at a word boundary, saying that it was. */
function trimmed(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const boundary = cut.lastIndexOf(' ');
  return `${(boundary > limit * 0.8 ? cut.slice(0, boundary) : cut).trimEnd()} […trimmed]`;
}

/** An example's score on the scale of the question being graded. */
function onScale(example: GradedExample, maxScore: number): number {
  return round((example.score / example.maxScore) * maxScore, 2);
}

/**
 * The prompt section of graded examples, or '' without any. Each example's answer and note are
 * fenced with a delimiter of their own, exactly like the candidate's answer: they are untrusted
 * text too (anyone allowed to add examples wrote them).
 */
export function examplesSection(examples: readonly GradedExample[], maxScore: number): string {
  if (examples.length === 0) return '';
  const entries = examples.map((example, index) => {
    const rescaled =
      example.maxScore === maxScore ? '' : ` (${onScale(example, maxScore)} of ${maxScore} on this question's scale)`;
    const lines = [
      `Example ${index + 1} (${example.id}), scored ${example.score} of ${example.maxScore}${rescaled}:`,
      fenceAnswer(trimmed(example.answer, MAX_EXAMPLE_CHARACTERS)).text,
    ];
    if (example.note)
      lines.push("The interviewer's note on it:", fenceAnswer(trimmed(example.note, MAX_NOTE_CHARACTERS)).text);
    return lines.join('\n');
  });
  return `Graded examples by the interviewer (other candidates' answers to this question with the scores they were given, nearest to this answer first):\n\n${entries.join('\n\n')}\n\n`;
}

/** The grade, saying which examples the model was shown: each with an equal share, and named in the rationale. */
export function withShownExamples(grade: Grade, examples: readonly GradedExample[]): Grade {
  if (examples.length === 0) return grade;
  const listed = examples.map((example) => ({
    id: example.id,
    score: onScale(example, grade.maxScore),
    weight: round(1 / examples.length, 3),
  }));
  const named = listed.map((example) => `${example.id} (${example.score}/${grade.maxScore})`).join(', ');
  const shown = `The model was shown ${examples.length} graded example${examples.length === 1 ? '' : 's'} of this question, nearest first: ${named}.`;
  return { ...grade, examples: listed, rationale: `${grade.rationale} ${shown}` };
}
