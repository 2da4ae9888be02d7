import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Styling that disappears when output is not a terminal (or NO_COLOR is set). */
export function createStyle(color: boolean) {
  const paint = (style: Style) => (text: string) => (color ? styleText(style, text) : text);
  return {
    bold: paint('bold'),
    dim: paint('dim'),
    green: paint('green'),
    yellow: paint('yellow'),
    red: paint('red'),
    cyan: paint('cyan'),
  };
}

export type TerminalStyle = ReturnType<typeof createStyle>;

export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((entry) => indent + entry).join('\n');
}
