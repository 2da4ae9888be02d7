import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInput } from '../../src/batch/input/read-input.js';
import { splitTakeHome } from '../../src/batch/input/split-take-home.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);
const questions = bank.rubrics.map((rubric) => ({ id: rubric.id, question: rubric.question }));
const questionText = (id: string) => bank.get(id)?.question ?? '';

function answers(text: string): Array<[string, string]> {
  return splitTakeHome(text, questions).flatMap((section) =>
    section.kind === 'answer' ? [[section.questionId, section.text] as [string, string]] : [],
  );
}

function unattributed(text: string) {
  return splitTakeHome(text, questions).filter((section) => section.kind === 'unattributed');
}

describe('splitTakeHome: heading styles', () => {
  it('splits on Markdown headings "## Q4"', async () => {
    expect(answers('## Q4\nEager runs now.\n\n## Q13\nDynamo scales.\n')).toEqual([
      ['q4', 'Eager runs now.'],
      ['q13', 'Dynamo scales.'],
    ]);
  });

  it('splits on plain "Q4." lines, keeping words after the marker as the answer', async () => {
    expect(answers('Q4. Eager runs each op at once.\nMore on eager.\n\nQ13: Dynamo scales.\n')).toEqual([
      ['q4', 'Eager runs each op at once.\nMore on eager.'],
      ['q13', 'Dynamo scales.'],
    ]);
  });

  it('splits on bold lead-ins "**Q4:**", with the answer on the same line', async () => {
    expect(answers('**Q4:** Eager runs now.\n\n**Q13.** Dynamo scales.\nPostgres joins.\n')).toEqual([
      ['q4', 'Eager runs now.'],
      ['q13', 'Dynamo scales.\nPostgres joins.'],
    ]);
  });

  it('splits on "Question 4 - title" headings', async () => {
    expect(answers('## Question 4 - TensorFlow modes\nEager runs now.\n')).toEqual([['q4', 'Eager runs now.']]);
  });

  it("recognises the question's own text as a heading, in Markdown or as a plain line", () => {
    const text = `## ${questionText('q4')}\n\nEager runs now.\n\n${questionText('q13')}\nDynamo scales.\n`;
    expect(answers(text)).toEqual([
      ['q4', 'Eager runs now.'],
      ['q13', 'Dynamo scales.'],
    ]);
  });

  it('drops the question restated after "Q4." rather than grading it as the answer', async () => {
    expect(answers(`Q4. ${questionText('q4')}\nEager runs now.\n`)).toEqual([['q4', 'Eager runs now.']]);
  });

  it('keeps subheadings, bold phrases and code comments inside the answer', async () => {
    const text =
      '## Q3\nI use pre-commit.\n\n### Technical debt\nWe plan refactoring.\n\n**Note:** mypy too.\n\n```python\n# Q4. not a heading\nx = 1\n```\n';
    const sections = splitTakeHome(text, questions);
    expect(sections).toHaveLength(1);
    expect(sections[0]).toMatchObject({ kind: 'answer', questionId: 'q3', line: 1 });
    expect(sections[0].text).toContain('### Technical debt');
    expect(sections[0].text).toContain('# Q4. not a heading');
  });

  it('does not take an answer sentence that echoes the question for a heading', async () => {
    expect(answers('## Q4\nEager execution and graph execution in TensorFlow differ in when ops run.\n')).toEqual([
      ['q4', 'Eager execution and graph execution in TensorFlow differ in when ops run.'],
    ]);
  });
});

describe('splitTakeHome: text that belongs to no question', () => {
  it('reports a section under a heading that is not a question, with its line', async () => {
    const found = unattributed('## Q4\nEager runs now.\n\n## Extra thoughts\nWith more time I would add tests.\n');
    expect(found).toEqual([
      expect.objectContaining({ heading: 'Extra thoughts', line: 4, text: 'With more time I would add tests.' }),
    ]);
    expect(found[0].kind === 'unattributed' && found[0].reason).toMatch(/not under a question heading/);
  });

  it('reports a heading naming a question the bank does not have', async () => {
    const found = unattributed('## Q4\nEager.\n\n## Q99\nAn answer to nothing.\n');
    expect(found).toHaveLength(1);
    expect(found[0].kind === 'unattributed' && found[0].reason).toMatch(/Q99.*not in the question bank/);
  });

  it('reports a long text before the first heading, but not a title and a greeting', async () => {
    const long =
      'I answered these on a train with no internet, so some details may be off; I have also added thoughts about the logging setup of my current team, which uses Fluent Bit and Loki, because it shaped how I think about all of this.';
    expect(unattributed(`# Take-home: Alice\n\n${long}\n\n## Q4\nEager.\n`)).toEqual([
      expect.objectContaining({ line: 3, reason: 'text before the first question heading' }),
    ]);
    expect(unattributed('# Take-home: Alice\n\nHi team, thanks!\n\n## Q4\nEager.\n')).toEqual([]);
  });

  it('reports a document without any question heading as a whole', async () => {
    const found = unattributed('I think eager mode is easier to debug.\n');
    expect(found).toHaveLength(1);
    expect(found[0].kind === 'unattributed' && found[0].reason).toMatch(/no question headings found/);
  });

  it('returns an empty answer for a heading with nothing under it', async () => {
    expect(answers('## Q4\n\n---\n\n## Q13\nDynamo.\n')).toEqual([
      ['q4', ''],
      ['q13', 'Dynamo.'],
    ]);
  });
});

describe('readInput: a folder of take-homes', () => {
  const folder = mkdtempSync(join(tmpdir(), 'answerkey-take-homes-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads one candidate per file and reports what it cannot use', async () => {
    writeFileSync(join(folder, 'alice.md'), '## Q4\nEager runs now.\n\n## Q13\n\n## Appendix\nMy CV is attached.\n');
    writeFileSync(join(folder, 'bob.txt'), 'Q4. Graph mode is faster.\n');
    writeFileSync(join(folder, 'bob.md'), '## Q4\nA second file for bob.\n');
    writeFileSync(join(folder, 'carol.pdf'), '%PDF-1.4');
    writeFileSync(join(folder, 'dan.md'), '   \n');
    writeFileSync(join(folder, '.DS_Store'), '');
    mkdirSync(join(folder, 'drafts'));
    const { kind, answers: read, problems, takeHomeCandidates } = await readInput(folder, bank);
    expect(kind).toBe('take-homes');
    // A heading with nothing under it is an empty answer to grade (0, flagged empty), not an error.
    expect(read.map((answer) => [answer.candidateId, answer.questionKey, answer.source, answer.answer])).toEqual([
      ['alice', 'q4', 'alice.md:1', 'Eager runs now.'],
      ['alice', 'q13', 'alice.md:4', ''],
      ['bob', 'q4', 'bob.md:1', 'A second file for bob.'],
    ]);
    expect(problems.map((problem) => [problem.source, problem.kind])).toEqual([
      ['alice.md:6', 'unattributed_section'],
      ['bob.txt', 'unreadable_file'],
      ['carol.pdf', 'unreadable_file'],
      ['drafts', 'unreadable_file'],
    ]);
    expect(problems[0]).toMatchObject({ candidateId: 'alice', excerpt: 'My CV is attached.' });
    expect(problems[1].reason).toContain('bob.md');
    // dan's empty file is his take-home: he is ranked, with every question counted 0.
    expect(takeHomeCandidates).toEqual(['alice', 'bob', 'dan']);
  });
});
