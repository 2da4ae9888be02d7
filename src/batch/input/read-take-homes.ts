import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import { createBatchAnswer, excerptOf } from '../batch-answer.js';
import { isTakeHomeExtension, takeHomeText } from './formats/take-home-text.js';
import type { InputRead } from './read-input-text.js';
import { MAX_TAKE_HOME_BYTES, readRegularFile } from './read-regular-file.js';
import { splitTakeHome } from './split-take-home.js';

/** More text than any set of questions takes an answer to: a file past it is not a take-home (and would fill the report). */
export const MAX_TAKE_HOME_CHARACTERS = 1_000_000;

export type TakeHomeLimits = { maxBytes: number; maxCharacters: number };

/**
 * A folder with one take-home per candidate (Markdown, text, HTML, Word, PDF or a notebook); the
 * candidate id is the file name. Only regular files inside the folder are read: a symbolic link out
 * of it, a FIFO or a device is reported, never opened.
 */
export async function readTakeHomes(
  directory: string,
  bank: QuestionBank,
  limits: TakeHomeLimits = { maxBytes: MAX_TAKE_HOME_BYTES, maxCharacters: MAX_TAKE_HOME_CHARACTERS },
): Promise<InputRead> {
  const read: InputRead & { takeHomeCandidates: string[] } = { answers: [], problems: [], takeHomeCandidates: [] };
  const questions = bank.rubrics.map((rubric) => ({ id: rubric.id, question: rubric.question }));
  const fileOf = new Map<string, string>();
  const names = readdirSync(directory)
    .filter((name) => !name.startsWith('.'))
    .sort((left, right) => left.localeCompare(right, 'en', { numeric: true }));
  for (const name of names) {
    const extension = extname(name).toLowerCase();
    const unreadable = (reason: string) => read.problems.push({ kind: 'unreadable_file', source: name, reason });
    if (!isTakeHomeExtension(extension)) {
      unreadable(
        'not a take-home: read are Markdown (.md), text (.txt), HTML (.html), Word (.docx), PDF (.pdf) and Jupyter (.ipynb) files',
      );
      continue;
    }
    const candidateId = name.slice(0, name.length - extension.length);
    const earlier = fileOf.get(candidateId);
    if (earlier) {
      unreadable(`${earlier} already holds candidate "${candidateId}"'s answers`);
      continue;
    }
    const file = readRegularFile(join(directory, name), limits.maxBytes, directory);
    if ('problem' in file) {
      unreadable(file.problem);
      continue;
    }
    const extracted = await takeHomeText(file.bytes, extension);
    if ('problem' in extracted) {
      unreadable(extracted.problem);
      continue;
    }
    const text = extracted.text.replace(/^\uFEFF/, '');
    if (text.length > limits.maxCharacters) {
      unreadable(
        `${text.length.toLocaleString('en-US')} characters of text, over the ${limits.maxCharacters.toLocaleString('en-US')} a take-home may have`,
      );
      continue;
    }
    fileOf.set(candidateId, name);
    // An empty file, like a question left out, is the candidate's: it counts 0 in the report rather than going unseen.
    read.takeHomeCandidates.push(candidateId);
    if (text.trim() === '') continue;
    for (const section of splitTakeHome(text, questions)) {
      const source = `${name}:${section.line}`;
      if (section.kind === 'unattributed') {
        read.problems.push({
          kind: 'unattributed_section',
          source,
          reason: section.reason,
          candidateId,
          excerpt: excerptOf(section.text),
        });
      } else {
        // A heading with nothing under it is graded like any empty answer: 0, flagged empty.
        read.answers.push(createBatchAnswer(candidateId, { questionId: section.questionId }, section.text, source));
      }
    }
  }
  return read;
}
