import { Parser } from 'htmlparser2';

const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'section',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
]);
const SKIPPED = new Set(['head', 'script', 'style', 'template', 'noscript', 'title', 'svg', 'math']);
const HEADING = /^h([1-6])$/;

/**
 * An HTML page (or a Word file mammoth turned into HTML) as the Markdown-like text the take-home
 * splitter reads: `<h2>` becomes "## ", list items "- ", bold "**", preformatted text a fenced
 * block, so question headings are found exactly as in a Markdown take-home. Scripts, styles and
 * images are left out; entities are decoded.
 */
export function htmlToText(html: string): string {
  const blocks: string[] = [];
  let line = '';
  let prefix = '';
  let skipping = 0;
  let preformatted = 0;
  const lists: { ordered: boolean; count: number }[] = [];
  const flush = () => {
    const text = preformatted > 0 ? line.replace(/^\n+|\s+$/g, '') : line.replace(/\s+/g, ' ').trim();
    // A paragraph that begins "# …" (a code comment) is text, not a Markdown heading: only <h1>–<h6> are.
    const body = prefix === '' ? text.replace(/^(#{1,6})(\s)/, '\\$1$2') : text;
    if (text !== '' && text !== '****') blocks.push(preformatted > 0 ? `\`\`\`\n${text}\n\`\`\`` : `${prefix}${body}`);
    line = '';
    prefix = '';
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipping += 1;
        if (skipping > 0) return;
        const heading = HEADING.exec(name);
        if (heading) {
          flush();
          prefix = `${'#'.repeat(Number(heading[1]))} `;
        } else if (name === 'pre') {
          flush();
          preformatted += 1;
        } else if (name === 'ul' || name === 'ol') {
          flush();
          lists.push({ ordered: name === 'ol', count: 0 });
        } else if (name === 'li') {
          flush();
          const list = lists.at(-1);
          if (list) list.count += 1;
          prefix = list?.ordered ? `${list.count}. ` : '- ';
        } else if (BLOCKS.has(name)) {
          flush();
        } else if (name === 'br') {
          if (preformatted > 0) line += '\n';
          else flush();
        } else if ((name === 'strong' || name === 'b') && preformatted === 0) {
          line += '**';
        } else if (name === 'td' || name === 'th') {
          line += ' ';
        }
      },
      ontext(text) {
        if (skipping === 0) line += text;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping > 0) return;
        if (name === 'pre') {
          flush();
          preformatted = Math.max(0, preformatted - 1);
        } else if (name === 'ul' || name === 'ol') {
          flush();
          lists.pop();
        } else if (HEADING.test(name) || BLOCKS.has(name)) {
          flush();
        } else if ((name === 'strong' || name === 'b') && preformatted === 0) {
          // "**Q4:** " closes after its space in some editors' output: keep the marks around the words.
          line = line.replace(/(\s*)$/, '**$1');
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return blocks.join('\n\n').replace(/\*\*(\s*)\*\*/g, '$1');
}
