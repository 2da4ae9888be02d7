import mammoth from 'mammoth';
import type { TextExtraction } from './decode-text.js';
import { htmlToText } from './html-to-text.js';

/** Code paragraphs (one per line in Word) become one preformatted block, so their lines stay code. */
const CODE_STYLES = ['Preformatted Text', 'HTML Preformatted', 'Code', 'Source Code', 'Source Text'].map(
  (name) => `p[style-name='${name}'] => pre:separator('\\n')`,
);

/** Images are not read: a data URI per picture would only be dropped again. */
const noImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

/** A Word file through mammoth's HTML (Word's heading styles become headings), then as an HTML take-home. */
export async function docxToText(bytes: Buffer): Promise<TextExtraction> {
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    return { problem: 'a password-protected or old-format (.doc) Word file; save it as an unprotected .docx' };
  }
  try {
    const { value } = await mammoth.convertToHtml(
      { buffer: bytes },
      { convertImage: noImages, externalFileAccess: false, styleMap: CODE_STYLES },
    );
    return { text: htmlToText(value) };
  } catch (error) {
    return { problem: `not a Word (.docx) file that can be read (${firstLine(error)})` };
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);
}
