import { Command } from 'commander';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { KEY_POINT_STATUSES } from '../../examples/graded-example.js';
import { openGrader } from '../../app/create-grader.js';
import { reviewGrade, type ReviewOutcome } from '../../reviews/review-grade.js';
import { LOCAL_REVIEWER } from '../../reviews/review-schema.js';
import type { CliIo } from '../cli-io.js';
import { cliRebuildWarning } from '../error-hints.js';
import { readAnswer } from '../read-answer.js';
import { configFrom, withExampleCountOption, withSharedOptions, type SharedOptionValues } from '../shared-options.js';
import { parseMaxScore } from './grade-command.js';

interface ReviewOptions extends SharedOptionValues {
  questionId?: string;
  answer?: string;
  answerFile?: string;
  accept?: boolean;
  score?: string;
  maxScore?: string;
  keyPoint: string[];
  note?: string;
  gradeId?: string;
  json?: boolean;
}

function parseKeyPoint(value: string): { id: string; status: (typeof KEY_POINT_STATUSES)[number] } {
  const match = /^([^=]+)=(.+)$/.exec(value.trim());
  const status = match?.[2].trim();
  if (!match || !(KEY_POINT_STATUSES as readonly string[]).includes(status ?? '')) {
    throw new AnswerkeyError(
      'invalid_input',
      `--key-point must be ID=STATUS (covered, partial or missing), not "${value}"`,
      {
        hint: 'see the key point ids with `answerkey questions ID`, e.g. --key-point tf-function=covered',
      },
    );
  }
  return { id: match[1].trim(), status: status as (typeof KEY_POINT_STATUSES)[number] };
}

function parseScore(value: string): number {
  const score = Number(value);
  if (value.trim() === '' || !Number.isFinite(score))
    throw new AnswerkeyError('invalid_input', `--score must be a number, not "${value}"`);
  return score;
}

const points = (score: number, maxScore: number) => `${Math.round(score * 100) / 100} / ${maxScore}`;

function describe(outcome: ReviewOutcome, logPath: string): string {
  const { review, before, after } = outcome;
  const changed = review.keyPoints.map((change) => `${change.id} ${change.grader} → ${change.reviewer}`).join(', ');
  const verdict = review.accepted
    ? `you accepted ${points(review.graderScore, review.maxScore)}`
    : `you gave ${points(review.reviewerScore, review.maxScore)}`;
  return [
    `Reviewed ${review.gradeId} (${review.questionId}): the grader gave ${points(review.graderScore, review.maxScore)}, ${verdict}${changed ? `; key points: ${changed}` : ''}.`,
    `Stored as graded example ${review.exampleId}; logged in ${logPath} as ${review.id} (${review.who}).`,
    `With your review the grader now gives ${points(after.score, after.maxScore)} (was ${points(before.score, before.maxScore)}).`,
  ].join('\n');
}

export function reviewCommand(io: CliIo): Command {
  const command = new Command('review')
    .summary('keep your verdict on a grade: accept it, or give your own score and key-point statuses')
    .description(
      'Grades the answer as `answerkey grade` does, then keeps your verdict: accept the grade (--accept), or give your own ' +
        'score (--score) and any key-point statuses that differ (--key-point ID=STATUS), with a note. The verdict is stored as a ' +
        'graded example of the question (so later grades of its answers use it) and appended to the review log beside the ' +
        "examples (review-log.jsonl: who, when, the grader's score and yours, the key points changed, the note). It then grades " +
        'the answer again and shows how the grade moves. The answer comes from --answer, --answer-file or standard input.\n\n' +
        'With --grade-id (the `id` of a grade from `grade --json` or the API), the review is refused unless the answer and ' +
        'question are the ones that grade was for.',
    )
    .option('-i, --question-id <id>', 'the bank question the answer is for, e.g. q4')
    .option('-a, --answer <text>', 'the answer as it was graded')
    .option('-f, --answer-file <file>', 'read the answer from a file ("-" for standard input)')
    .option('--accept', "keep the grader's score")
    .option('-s, --score <n>', 'your own score, from 0 to the maximum')
    .option('--max-score <n>', "the grade's scale, when it was graded with one (default: the question's)")
    .option(
      '-k, --key-point <id=status>',
      'a key point whose status you set (covered, partial, missing); repeat for more',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--note <text>', 'why: kept with the example and in the review log')
    .option('--grade-id <id>', 'the id of the grade you review (g-…), checked against the answer')
    .option('--json', 'print the review, the stored example, and the grade before and after as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ answerkey review -i q4 --accept --answer-file answer.md
  $ answerkey review -i q4 --score 2 --key-point graph-for-production=missing --note "nothing on deployment" --answer "Eager runs ops at once; graphs are faster."
  $ answerkey grade -i q4 --answer-file answer.md --json     # its "id" is the --grade-id to review`,
    );
  return withExampleCountOption(withSharedOptions(command)).action(async (options: ReviewOptions) => {
    if (options.questionId === undefined) {
      throw new AnswerkeyError('invalid_input', 'say which question the reviewed answer is for', {
        hint: 'pass --question-id ID (see `answerkey questions`)',
      });
    }
    if (Boolean(options.accept) === (options.score !== undefined)) {
      throw new AnswerkeyError('invalid_input', 'give either --accept or --score N, not both or neither', {
        hint: "--accept keeps the grader's score; --score N gives yours",
      });
    }
    const keyPoints = options.keyPoint.map(parseKeyPoint);
    const answer = (await readAnswer(options, io, true)) ?? '';
    const config = configFrom(options);
    // With a database configured, the review and its example go where every replica reads them.
    const opened = await openGrader(config, { notice: (message) => io.stderr(`answerkey: ${message}\n`) });
    const { grader } = opened;
    const log = grader.reviewLog;
    const outcome = await reviewGrade(
      grader,
      log,
      {
        questionId: options.questionId,
        answer,
        maxScore: parseMaxScore(options.maxScore),
        ...(options.accept ? { accept: true as const } : { score: parseScore(options.score ?? '') }),
        ...(keyPoints.length > 0 ? { keyPoints } : {}),
        ...(options.note === undefined ? {} : { note: options.note }),
      },
      { gradeId: options.gradeId, who: LOCAL_REVIEWER },
    ).finally(() => opened.close());
    if (outcome.warning) io.stderr(`answerkey: warning: ${cliRebuildWarning(outcome.warning)}\n`);
    const { warning: _warning, ...shown } = outcome;
    io.stdout(options.json ? `${JSON.stringify(shown, null, 2)}\n` : `${describe(outcome, log.location)}\n`);
  });
}
