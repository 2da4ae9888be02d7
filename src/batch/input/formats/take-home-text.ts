import { decodeUtf8Text, type TextExtraction } from './decode-text.js';
import { notebookToText } from './notebook-to-text.js';
import { pdfToText } from './pdf-to-text.js';

export type { TextExtraction } from './decode-text.js';

type Extractor = (bytes: Buffer) => TextExtraction | Promise<TextExtraction>;

const asText: Extractor = (bytes) => decodeUtf8Text(bytes);
// The HTML and .docx readers (htmlparser2, mammoth) are loaded when a take-home needs them: a batch
// of CSV or JSONL answers, and every other command, starts without them.
const fromHtml: Extractor = async (bytes) => {
  const decoded = decodeUtf8Text(bytes);
  if (!('text' in decoded)) return decoded;
  const { htmlToText } = await import('./html-to-text.js');
  return { text: htmlToText(decoded.text) };
};
const fromDocx: Extractor = async (bytes) => (await import('./docx-to-text.js')).docxToText(bytes);
const fromNotebook: Extractor = (bytes) => {
  const decoded = decodeUtf8Text(bytes);
  return 'text' in decoded ? notebookToText(decoded.text) : decoded;
};

/** What each take-home format is read with: every one comes out as Markdown-like text for the same question splitting. */
const EXTRACTORS: Record<string, Extractor> = {
  '.md': asText,
  '.markdown': asText,
  '.txt': asText,
  '.html': fromHtml,
  '.htm': fromHtml,
  '.ipynb': fromNotebook,
  '.docx': fromDocx,
  '.pdf': pdfToText,
};

export const TAKE_HOME_EXTENSIONS: readonly string[] = Object.keys(EXTRACTORS);

export function isTakeHomeExtension(extension: string): boolean {
  return Object.hasOwn(EXTRACTORS, extension);
}

/** The take-home's text, or why it cannot be read (an encrypted PDF, a scan without text, invalid UTF-8). */
export async function takeHomeText(bytes: Buffer, extension: string): Promise<TextExtraction> {
  const extractor = EXTRACTORS[extension];
  if (!extractor) return { problem: `not a take-home format (${TAKE_HOME_EXTENSIONS.join(', ')})` };
  return extractor(bytes);
}
