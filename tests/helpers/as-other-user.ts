import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/config/paths.js';

/** nobody: root writes anywhere, so tests of unwritable folders run the CLI as this user when run as root. */
const NOBODY = { uid: 65534, gid: 65534 };
/** What the compiled CLI reads at run time. */
const NEEDED = ['package.json', 'dist', 'node_modules', 'rubrics', 'embeddings', 'examples', 'src'];

export interface OtherUser {
  /** Runs the compiled CLI (`npm test` builds it first) as that user; arguments naming the checkout are moved to where it runs from. */
  run(argv: readonly string[], environment?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  /** Where the CLI runs from: the checkout, or a copy that user can read. */
  root: string;
  /** Removes the copy, if one was made. */
  dispose(): void;
}

function canRun(node: string, file: string): boolean {
  const probe = spawnSync(
    node,
    ['-e', 'require("node:fs").accessSync(process.argv[1], require("node:fs").constants.R_OK)', file],
    { ...NOBODY, encoding: 'utf8' },
  );
  return probe.error === undefined && probe.status === 0;
}

/** Hard links where the file system allows (fast, no space), else copies. */
function linkTree(from: string, to: string): void {
  const linked = spawnSync('cp', ['-al', from, to], { encoding: 'utf8' });
  if (linked.status === 0) return;
  const copied = spawnSync('cp', ['-a', from, to], { encoding: 'utf8' });
  if (copied.status !== 0)
    throw new Error(`cannot copy ${from} to ${to} for the test user: ${copied.stderr || linked.stderr}`);
}

/**
 * Who runs the CLI in tests that need a folder the user cannot write: this user, or nobody when
 * running as root. A checkout nobody cannot read (a clone under /root, whose folder is 0700)
 * is detected here, up front, and the CLI then runs from a copy in a readable temporary folder
 * (hard links, so it takes a second), with the node binary too when nobody cannot run it.
 */
export function prepareOtherUser(): OtherUser {
  const main = (root: string) => join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(main(PACKAGE_ROOT)))
    throw new Error(`${main(PACKAGE_ROOT)} is missing: run \`npm run build\` first (npm test does)`);
  const direct = (node: string, root: string, user: object, dispose: () => void = () => undefined): OtherUser => ({
    root,
    dispose,
    run: (argv, environment = process.env) =>
      spawnSync(node, [main(root), ...argv.map((argument) => argument.split(PACKAGE_ROOT).join(root))], {
        cwd: root,
        encoding: 'utf8',
        env: { ...environment, NO_COLOR: '1' },
        timeout: 60_000,
        ...user,
      }),
  });
  if (process.getuid?.() !== 0) return direct(process.execPath, PACKAGE_ROOT, {});
  if (canRun(process.execPath, main(PACKAGE_ROOT))) return direct(process.execPath, PACKAGE_ROOT, NOBODY);

  const copy = mkdtempSync(join(tmpdir(), 'answerkey-as-nobody-'));
  chmodSync(copy, 0o755);
  const dispose = () => rmSync(copy, { recursive: true, force: true });
  try {
    for (const entry of NEEDED)
      if (existsSync(join(PACKAGE_ROOT, entry))) linkTree(join(PACKAGE_ROOT, entry), join(copy, entry));
    let node = process.execPath;
    if (!canRun(node, join(copy, 'package.json'))) {
      node = join(copy, 'node');
      try {
        linkSync(process.execPath, node);
      } catch {
        copyFileSync(process.execPath, node);
        chmodSync(node, 0o755);
      }
    }
    if (!canRun(node, main(copy))) {
      throw new Error(`uid ${NOBODY.uid} can read neither the checkout ${PACKAGE_ROOT} nor a copy of it in ${copy}`);
    }
    return direct(node, copy, NOBODY, dispose);
  } catch (error) {
    dispose();
    throw error;
  }
}
