import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/cli-io.js';
import { isolateSettings } from '../helpers/isolate-settings.js';
import { runCliForTest } from '../helpers/run-cli.js';

isolateSettings();
// Clear the screen, conceal text, set the window title (OSC), a C1 CSI, and a right-to-left override.
const HOSTILE =
  'Eager mode runs ops at once\u001b[2J\u001b[8m hidden \u001b]0;pwned\u0007 graph \u009b31m mode \u202e tf.function';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('text from input reaches the terminal as visible escapes, never raw', () => {
  it('in a grade: the evidence quotes and the answer', async () => {
    const { code, out } = await runCliForTest([
      'grade',
      '-i',
      'q4',
      '--answer',
      HOSTILE,
      '--index-dir',
      '/tmp/answerkey-escapes-index',
    ]);
    expect(code).toBe(0);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toMatch(/\\u00(07|9b|1b)/);
  });

  it('in --json: still valid JSON that reads back the same text', async () => {
    const { out } = await runCliForTest([
      'grade',
      '-i',
      'q4',
      '--answer',
      HOSTILE,
      '--json',
      '--index-dir',
      '/tmp/answerkey-escapes-index',
    ]);
    expect(out).not.toMatch(RAW_CONTROL);
    const grade = JSON.parse(out) as { keyPoints: Array<{ evidence: string | null }> };
    const quoted = grade.keyPoints
      .map((keyPoint) => keyPoint.evidence)
      .filter((evidence): evidence is string => evidence !== null);
    expect(quoted.length).toBeGreaterThan(0);
    for (const evidence of quoted) expect(HOSTILE).toContain(evidence);
  });

  it('in an error naming an id from the command line', async () => {
    const { code, err } = await runCliForTest(['questions', 'q4\u001b[2J\u001b]8;;http://evil\u0007']);
    expect(code).not.toBe(0);
    expect(err).not.toMatch(RAW_CONTROL);
    expect(err).toContain('q4\\u001b[2J\\u001b]8;;http://evil\\u0007');
  });

  it("keeps the program's own colours, and only those", () => {
    let out = '';
    const io = terminalSafe({
      stdout: (text) => void (out += text),
      stderr: () => undefined,
      readStdin: async () => undefined,
      color: true,
    });
    // What util.styleText writes on a terminal for bold and green.
    io.stdout(`\u001b[1mScore\u001b[22m \u001b[32m✔ covered\u001b[39m “${HOSTILE}”\r\u001b[2K`);
    expect(out).toContain('\u001b[1mScore\u001b[22m \u001b[32m✔ covered\u001b[39m');
    expect(out.endsWith('\r\u001b[2K')).toBe(true);
    expect(out).toContain('\\u001b[2J\\u001b[8m hidden \\u001b]0;pwned\\u0007 graph \\u009b31m mode \\u202e');
  });
});
