import { contentTokens, tokenize } from '../../text/tokenize.js';

export type TakeHomeQuestion = { id: string; question: string };

/** A line that may open an answer: a Markdown heading, a bold lead-in, or a plain "Q4." line. */
export type HeadingLine = {
  style: 'atx' | 'bold' | 'plain';
  /** 1–6 for "#"…"######"; null for bold and plain lines. */
  level: number | null;
  /** The heading's words, without Markdown marks. */
  title: string;
  /** Text after a bold lead-in or a plain "Q4." on the same line: the answer's first words. */
  rest: string;
};

export type HeadingMatch = { questionId: string } | { unknownId: string } | undefined;

const ATX = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const BOLD = /^(\*\*|__)(.+?)\1\s*(.*)$/;
const MARKER = /^(?:q|question)\s*#?\s*(\d+)\b\s*[.:)\]–—-]?\s*(.*)$/i;
/** A plain line is a heading only with a separator after the number: "Q4." or "Q4:", not "Q4 was hard". */
const PLAIN_MARKER = /^(?:q|question)\s*#?\s*\d+\s*(?:[.:)\]–—-]|$)/i;
const EMPHASIS = /[*_`]+/g;

/** Recognises the line shapes that can head an answer; anything else is answer text. */
export function parseHeadingLine(line: string): HeadingLine | undefined {
  const trimmed = line.trim();
  const atx = ATX.exec(trimmed);
  if (atx) return { style: 'atx', level: atx[1].length, title: clean(atx[2]), rest: '' };
  const bold = BOLD.exec(trimmed);
  if (bold) return { style: 'bold', level: null, title: clean(bold[2]), rest: bold[3].trim() };
  if (PLAIN_MARKER.test(trimmed.replace(EMPHASIS, '')))
    return { style: 'plain', level: null, title: trimmed.replace(EMPHASIS, ''), rest: '' };
  if (trimmed.endsWith('?') && trimmed.length < 400)
    return { style: 'plain', level: null, title: clean(trimmed), rest: '' };
  return undefined;
}

/**
 * Which question a heading names: by marker ("Q4", "Question 4", or a bank id), else by its
 * words when they are the question's own (a candidate who pasted the question as a heading).
 * For a plain "Q4. …" line, `rest` returns the words after the marker that are not the question.
 */
export function matchHeading(
  heading: HeadingLine,
  questions: readonly TakeHomeQuestion[],
): { match: HeadingMatch; rest: string } {
  const ids = new Set(questions.map((question) => question.id));
  const marker = MARKER.exec(heading.title);
  const named = marker ? `q${Number(marker[1])}` : leadingId(heading.title, ids);
  if (named !== undefined) {
    const after = marker ? marker[2].trim() : heading.title.slice(named.length).replace(/^[\s.:)\]–—-]+/, '');
    // "Q4. Eager execution runs…": the words after the marker are the answer unless they restate the question.
    const rest =
      heading.style === 'plain' && after && questionByText(after, questions, 'loose')?.id !== named ? after : '';
    if (ids.has(named)) return { match: { questionId: named }, rest: joinRest(rest, heading.rest) };
    const byText = after ? questionByText(after, questions, 'loose') : undefined;
    if (byText) return { match: { questionId: byText.id }, rest: heading.rest };
    return { match: { unknownId: `Q${marker?.[1] ?? named}` }, rest: joinRest(rest, heading.rest) };
  }
  const byText = questionByText(heading.title, questions, heading.style === 'plain' ? 'strict' : 'loose');
  return { match: byText ? { questionId: byText.id } : undefined, rest: heading.rest };
}

function leadingId(title: string, ids: ReadonlySet<string>): string | undefined {
  const first = /^[a-z0-9][a-z0-9_-]*/i.exec(title)?.[0].toLowerCase();
  if (!first || !ids.has(first)) return undefined;
  const next = title.charAt(first.length);
  return next === '' || /[\s.:)\]–—-]/.test(next) ? first : undefined;
}

function joinRest(...parts: string[]): string {
  return parts.filter(Boolean).join(' ');
}

function stems(text: string): Set<string> {
  return new Set(contentTokens(tokenize(text)).map((token) => token.stem));
}

const MIN_SHARED_WORDS = 3;
const questionStems = new WeakMap<TakeHomeQuestion, Set<string>>();

/**
 * The question whose words a heading repeats: most of the heading's content words are the
 * question's, at least three of them (a subheading like "Technical debt" is not a question), and
 * no other question ties.
 * `strict` (plain lines, which could be answer sentences) also wants half of the question.
 */
export function questionByText(
  text: string,
  questions: readonly TakeHomeQuestion[],
  strictness: 'loose' | 'strict',
): TakeHomeQuestion | undefined {
  const heading = stems(text);
  if (heading.size < MIN_SHARED_WORDS) return undefined;
  let best: { question: TakeHomeQuestion; shared: number; coverage: number } | undefined;
  let tied = false;
  for (const question of questions) {
    let words = questionStems.get(question);
    if (!words) questionStems.set(question, (words = stems(question.question)));
    let shared = 0;
    for (const stem of heading) if (words.has(stem)) shared += 1;
    const coverage = shared / words.size;
    if (shared < MIN_SHARED_WORDS || shared / heading.size < 0.7) continue;
    if (strictness === 'strict' && (shared / heading.size < 0.8 || coverage < 0.5)) continue;
    if (!best || shared > best.shared || (shared === best.shared && coverage > best.coverage)) {
      tied = best !== undefined && shared === best.shared && coverage === best.coverage;
      best = { question, shared, coverage };
    } else if (shared === best.shared && coverage === best.coverage) tied = true;
  }
  return best && !tied ? best.question : undefined;
}

function clean(text: string): string {
  return text.replace(EMPHASIS, '').replace(/\s+/g, ' ').trim();
}
