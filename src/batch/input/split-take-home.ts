import { matchHeading, parseHeadingLine, type TakeHomeQuestion } from './match-question-heading.js';

export type TakeHomeSection =
  | { kind: 'answer'; questionId: string; heading: string; line: number; text: string }
  | { kind: 'unattributed'; heading: string | null; line: number; text: string; reason: string };

type OpenSection = {
  questionId: string | null;
  heading: string | null;
  line: number;
  /** The Markdown level that closes it: a heading this high or higher starts the next section. */
  level: number;
  reason: string;
  lines: string[];
};

/** Bold and plain "Q4." answers are closed by "#" and "##" headings; "###" below them is the answer's own. */
const NON_MARKDOWN_LEVEL = 2;
/** Text before the first question shorter than this is a title or a greeting, not a lost answer. */
const PREAMBLE_MIN_WORDS = 30;
const FENCE = /^\s*(```|~~~)/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;

/**
 * Splits one candidate's take-home into answers by its question headings (`## Q4`, `Q4.`,
 * `**Q4:**`, or the question's own text). Text that belongs to no question comes back as an
 * `unattributed` section with the reason, so it can be reported rather than lost.
 */
export function splitTakeHome(text: string, questions: readonly TakeHomeQuestion[]): TakeHomeSection[] {
  const sections: TakeHomeSection[] = [];
  let current: OpenSection = { questionId: null, heading: null, line: 1, level: 0, reason: '', lines: [] };
  let sawHeading = false;
  let inFence = false;
  const close = () => sections.push(...closeSection(current, sawHeading));

  text.split(/\r\n?|\n/).forEach((line, index) => {
    const lineNumber = index + 1;
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? undefined : parseHeadingLine(line);
    if (!heading) {
      current.lines.push(line);
      return;
    }
    const { match, rest } = matchHeading(heading, questions);
    const level = heading.level ?? NON_MARKDOWN_LEVEL;
    if (match && 'questionId' in match) {
      sawHeading = true;
      close();
      current = {
        questionId: match.questionId,
        heading: heading.title,
        line: lineNumber,
        level,
        reason: '',
        lines: rest ? [rest] : [],
      };
    } else if (match) {
      sawHeading = true;
      close();
      const reason = `the heading "${heading.title}" names ${match.unknownId}, which is not in the question bank`;
      current = {
        questionId: null,
        heading: heading.title,
        line: lineNumber,
        level,
        reason,
        lines: rest ? [rest] : [],
      };
    } else if (
      heading.style === 'atx' &&
      current.heading !== null &&
      heading.level !== null &&
      heading.level <= current.level
    ) {
      close();
      const reason = `the section "${heading.title}" is not under a question heading`;
      current = { questionId: null, heading: heading.title, line: lineNumber, level: heading.level, reason, lines: [] };
    } else {
      current.lines.push(line);
    }
  });
  close();
  return sections;
}

/** `sawHeading`: a question heading follows (or came before); without one the whole text is unattributed. */
function closeSection(section: OpenSection, sawHeading: boolean): TakeHomeSection[] {
  if (section.questionId !== null) {
    return [
      {
        kind: 'answer',
        questionId: section.questionId,
        heading: section.heading ?? '',
        line: section.line,
        text: trimLines(section.lines).join('\n'),
      },
    ];
  }
  if (section.heading !== null) {
    const body = trimLines(section.lines).join('\n');
    return body === ''
      ? []
      : [{ kind: 'unattributed', heading: section.heading, line: section.line, text: body, reason: section.reason }];
  }
  // Text before the first question heading, less the document's title: the whole text when no heading came.
  const offset = section.lines.findIndex((line) => line.trim() !== '' && !/^\s*#/.test(line));
  if (offset < 0) return [];
  const body = trimLines(section.lines.slice(offset)).join('\n');
  const line = section.line + offset;
  if (!sawHeading) {
    return [
      {
        kind: 'unattributed',
        heading: null,
        line,
        text: body,
        reason: 'no question headings found (expected "## Q4", "Q4.", "**Q4:**" or the question\'s text)',
      },
    ];
  }
  if (!isPreambleLike(section.lines)) return [];
  return [{ kind: 'unattributed', heading: null, line, text: body, reason: 'text before the first question heading' }];
}

/** Is the text before the first heading long enough to be a lost answer rather than a title? */
function isPreambleLike(lines: readonly string[]): boolean {
  const prose = lines.filter((line) => !/^\s*#/.test(line)).join(' ');
  return (prose.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= PREAMBLE_MIN_WORDS;
}

function trimLines(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  const blank = (line: string) => line.trim() === '' || RULE.test(line);
  while (start < end && blank(lines[start])) start += 1;
  while (end > start && blank(lines[end - 1])) end -= 1;
  return lines.slice(start, end);
}
