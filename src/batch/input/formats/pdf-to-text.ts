import type { TextExtraction } from './decode-text.js';

/** One line of a page as laid out: its text, the height of its letters, where it sits. */
type PdfLine = { text: string; size: number; y: number; page: number };
type PdfTextItem = { str: string; height: number; width: number; transform: number[] };

/** A line this much larger than the body text is a heading. */
const HEADING_RATIO = 1.1;
/** Lines closer than this (in letter heights) belong to one paragraph. */
const PARAGRAPH_GAP = 1.6;
/** A bullet as PDF writers draw it: a symbol, or a private-use glyph of a symbol font. */
const BULLET = /^[\u2022\u2023\u25aa\u25ab\u25cf\u25e6\u2043\u2219\u25a0\u25a1\u00b7\u2013*\-\ue000-\uf8ff]\s*/;

/**
 * A PDF's text with its headings recovered: PDFs keep no heading marks, so lines set larger than
 * the body text become Markdown headings, "#" for the largest size, "##" for the next; lines of a
 * paragraph are joined and bullets become "- ". The take-home splitter then reads it as Markdown.
 */
export async function pdfToText(bytes: Uint8Array): Promise<TextExtraction> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    stopAtErrors: false,
  });
  let lines: PdfLine[];
  try {
    const document = await task.promise;
    lines = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      lines.push(
        ...pageLines(
          content.items.flatMap((item) => ('str' in item ? [item] : [])),
          number,
        ),
      );
      page.cleanup();
    }
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') return { problem: 'a password-protected PDF; ask for a copy without a password' };
    return {
      problem: `not a PDF that can be read (${(error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200)})`,
    };
  } finally {
    await task.destroy();
  }
  if (!lines.some((line) => /[\p{L}\p{N}]/u.test(line.text))) {
    return {
      problem:
        'a PDF with no text in it (a scan or pictures of pages); it needs text recognition (OCR) before it can be graded',
    };
  }
  return { text: linesToMarkdown(lines) };
}

function pageLines(items: readonly PdfTextItem[], page: number): PdfLine[] {
  const lines: PdfLine[] = [];
  let current: (PdfLine & { end: number }) | undefined;
  for (const item of items) {
    const [, , , , x, y] = item.transform;
    if (item.str === '') continue;
    const size = item.height;
    if (current && Math.abs(current.y - y) <= 0.5 * Math.max(current.size, size, 1)) {
      const gap = x - current.end;
      const needsSpace =
        gap > 0.15 * Math.max(current.size, size) && !/\s$/.test(current.text) && !/^\s/.test(item.str);
      current.text += (needsSpace ? ' ' : '') + item.str;
      current.size = Math.max(current.size, item.str.trim() === '' ? 0 : size);
      current.end = x + item.width;
      continue;
    }
    if (current) lines.push(current);
    current = { text: item.str, size: item.str.trim() === '' ? 0 : size, y, page, end: x + item.width };
  }
  if (current) lines.push(current);
  return lines
    .map(({ text, size, y }) => ({ text: text.replace(/\s+/g, ' ').trim(), size: Math.round(size * 2) / 2, y, page }))
    .filter((line) => line.text !== '');
}

function linesToMarkdown(lines: readonly PdfLine[]): string {
  const characters = new Map<number, number>();
  for (const line of lines) characters.set(line.size, (characters.get(line.size) ?? 0) + line.text.length);
  const body = [...characters.entries()].sort((left, right) => right[1] - left[1])[0][0];
  const headingSizes = [...characters.keys()]
    .filter((size) => size >= body * HEADING_RATIO)
    .sort((left, right) => right - left);
  const levelOf = (size: number) => Math.min(6, headingSizes.indexOf(size) + 1);
  const blocks: { text: string; level: number; last: PdfLine }[] = [];
  for (const line of lines) {
    const level = levelOf(line.size);
    const previous = blocks.at(-1);
    const near =
      previous !== undefined &&
      previous.last.page === line.page &&
      previous.last.y - line.y <= PARAGRAPH_GAP * Math.max(line.size, previous.last.size);
    // A paragraph that runs on over a page break ends its page mid-sentence.
    const runsOn =
      previous !== undefined && previous.last.page + 1 === line.page && level === 0 && !/[.!?:]$/.test(previous.text);
    const close = near || runsOn;
    const bullet = level === 0 && BULLET.test(line.text);
    const numbered = level === 0 && /^\d+[.)]\s/.test(line.text);
    if (previous && close && previous.level === level && !bullet && !numbered) {
      // "service-to-" at a line's end and "service" on the next are one word.
      previous.text += /\p{L}-$/u.test(previous.text) ? line.text : ` ${line.text}`;
      previous.last = line;
      continue;
    }
    const text = bullet ? `- ${line.text.replace(BULLET, '')}` : line.text;
    blocks.push({ text, level, last: line });
  }
  // Body text that begins "# …" (a code comment) must not read as a Markdown heading.
  return blocks
    .map((block) =>
      block.level > 0 ? `${'#'.repeat(block.level)} ${block.text}` : block.text.replace(/^(#{1,6})(\s)/, '\\$1$2'),
    )
    .join('\n\n');
}
