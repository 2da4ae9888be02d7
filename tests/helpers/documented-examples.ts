import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/*
 * The example commands the program's help and the documents show: every `$ answerkey …` line of
 * `answerkey --help` and each command's `--help` (run from dist/: needs `npm run build`), and the
 * answerkey lines of the sh blocks of README.md and docs/*.md. tests/cli/documented-examples.test.ts
 * runs them; the ones that need PostgreSQL run in tests-postgres/.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
/** The built command line. */
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** Examples that need a PostgreSQL database: they run in tests-postgres/, where there is one. */
export function needsDatabase(command: string): boolean {
  return /\banswerkey (db|worker|runs)\b/.test(command) || /\banswerkey batch\b.*--queue\b/.test(command);
}

/** The README and the guides in docs/, each as [its path, its text]. */
const DOCUMENTS: [string, string][] = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
].map((path) => [path, readFileSync(join(ROOT, path), 'utf8')]);
export interface Documented {
  command: string;
  /** Where it is shown: `grade --help`, README.md:86, … */
  sources: string[];
  /** The output the README shows right after it, when it shows one. */
  shownOutput?: string;
}

function run(args: string[]): string {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return result.stdout;
}

/** The `$ answerkey …` lines of a help text, without the descriptions aligned after them. */
function helpExamples(text: string): string[] {
  return [...text.matchAll(/^ {2}\$ (answerkey .+|[A-Z_]+=\S+ answerkey .+|cat .+)$/gm)].map((match) =>
    match[1].split(/\s{3,}(?!#)/)[0].trim(),
  );
}

/** `answerkey --help`, then each command's, then each subcommand's. */
function collectHelpExamples(): Documented[] {
  const found: Documented[] = [];
  const visit = (path: string[]) => {
    const text = run([...path, '--help']);
    for (const command of helpExamples(text))
      found.push({ command, sources: [`${['answerkey', ...path].join(' ')} --help`] });
    const commands = text.split(/^Commands:\n/m)[1]?.split(/\n\n/)[0] ?? '';
    for (const match of commands.matchAll(/^ {2}([a-z][a-z-]*)\b/gm))
      if (match[1] !== 'help') visit([...path, match[1]]);
  };
  visit([]);
  return found;
}

/**
 * The answerkey commands of a document's sh blocks (README.md, docs/*.md). A text block is shown output when the prose
 * before it says the command "prints", or when it is an error line (`answerkey: …`): it belongs to
 * the last command of the nearest sh block before it.
 */
function collectDocumentExamples(path: string, text: string): Documented[] {
  const found: Documented[] = [];
  let last: Documented | undefined;
  let previousEnd = 0;
  for (const block of text.matchAll(/^```(\w*)\n([\s\S]*?)^```\n/gm)) {
    const prose = text.slice(previousEnd, block.index);
    previousEnd = block.index + block[0].length;
    if (block[1] === 'text' && last && (/prints:\s*$/.test(prose) || block[2].startsWith('answerkey: '))) {
      last.shownOutput = block[2];
      last = undefined;
      continue;
    }
    if (block[1] !== 'sh') continue;
    const firstLine = text.slice(0, block.index).split('\n').length + 1;
    block[2].split('\n').forEach((line, offset) => {
      if (!/\banswerkey\b/.test(line) || line.startsWith('curl')) return;
      // Only the answerkey part of a line that also runs other programs.
      const part = line.split(/\s+&&\s+/).find((segment) => segment.includes('answerkey')) ?? line;
      last = {
        command: part.replace(/\bnpx answerkey\b/g, 'answerkey').trim(),
        sources: [`${path}:${firstLine + offset}`],
      };
      found.push(last);
    });
  }
  return found;
}

/** Each command once, in the order first shown, with every place it is shown. */
export function documentedExamples(): Documented[] {
  const byCommand = new Map<string, Documented>();
  for (const example of [
    ...collectHelpExamples(),
    ...DOCUMENTS.flatMap(([path, text]) => collectDocumentExamples(path, text)),
  ]) {
    const known = byCommand.get(example.command);
    if (known) {
      known.sources.push(...example.sources);
      known.shownOutput ??= example.shownOutput;
    } else byCommand.set(example.command, { ...example, sources: [...example.sources] });
  }
  return [...byCommand.values()];
}
