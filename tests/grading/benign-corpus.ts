import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QuestionBank } from '../../src/rubrics/question-bank.js';

export type BenignText = { source: string; text: string };

const root = new URL('../..', import.meta.url).pathname;

/** Double-quoted CSV fields (the examples' answers), doubled quotes undone. */
function csvFields(text: string): string[] {
  return [...text.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1].replace(/""/g, '"'));
}

/**
 * Texts in the checkout that address nobody: the bank's questions, references, key points and
 * alternatives, the fixture candidate answers, and the shipped examples. The injection detector
 * must flag none of them. `yaml` is passed in so that the bench can share this with the tests.
 */
export function benignInRepoTexts(bank: QuestionBank, yaml: { load(text: string): unknown }): BenignText[] {
  const texts: BenignText[] = [];
  for (const rubric of bank.rubrics) {
    texts.push(
      { source: `${rubric.id}.question`, text: rubric.question },
      { source: `${rubric.id}.referenceAnswer`, text: rubric.referenceAnswer },
    );
    for (const keyPoint of rubric.keyPoints) {
      [keyPoint.text, ...keyPoint.alternatives].forEach((text, index) =>
        texts.push({ source: `${rubric.id}.${keyPoint.id}[${index}]`, text }),
      );
    }
    for (const test of rubric.tests) texts.push({ source: `${rubric.id}.tests.${test.id}`, text: test.answer });
  }
  const candidates = yaml.load(readFileSync(join(root, 'tests/fixtures/candidate-answers.yaml'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  for (const [questionId, answers] of Object.entries(candidates)) {
    for (const [kind, text] of Object.entries(answers))
      texts.push({ source: `candidate-answers.${questionId}.${kind}`, text });
  }
  csvFields(readFileSync(join(root, 'examples/answers.csv'), 'utf8')).forEach((text, index) =>
    texts.push({ source: `examples/answers.csv#${index}`, text }),
  );
  const takeHomes = join(root, 'examples/take-homes');
  for (const name of readdirSync(takeHomes))
    texts.push({ source: `examples/take-homes/${name}`, text: readFileSync(join(takeHomes, name), 'utf8') });
  return texts;
}
