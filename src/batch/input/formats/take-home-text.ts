import { decodeUtf8Text, type TextExtraction } from './decode-text.js';
import { docxToText } from './docx-to-text.js';
import { htmlToText } from './html-to-text.js';
import { notebookToText } from './notebook-to-text.js';
import { pdfToText } from './pdf-to-text.js';

export type { TextExtraction } from './decode-text.js';

type Extractor = (bytes: Buffer) => TextExtraction | Promise<TextExtraction>;

const asText: Extractor = (bytes) => decodeUtf8Text(bytes);
const fromHtml: Extractor = (bytes) => {
  const decoded = decodeUtf8Text(bytes);
  return 'text' in decoded ? { text: htmlToText(decoded.text) } : decoded;
};
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
  '.docx': docxToText,
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
