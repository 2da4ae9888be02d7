import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { QuestionBank } from '../rubrics/question-bank.js';
import { createBatchAnswer, excerptOf } from './batch-answer.js';
import { readInputText, type InputRead } from './read-input-text.js';
import { splitTakeHome } from './split-take-home.js';

const TAKE_HOME_EXTENSIONS = new Set(['.md', '.markdown', '.txt']);

/** A folder with one Markdown or text file per candidate; the candidate id is the file name. */
export function readTakeHomes(directory: string, bank: QuestionBank): InputRead {
  const read: InputRead & { takeHomeCandidates: string[] } = { answers: [], problems: [], takeHomeCandidates: [] };
  const questions = bank.rubrics.map((rubric) => ({ id: rubric.id, question: rubric.question }));
  const fileOf = new Map<string, string>();
  const names = readdirSync(directory)
    .filter((name) => !name.startsWith('.'))
    .sort((left, right) => left.localeCompare(right, 'en', { numeric: true }));
  for (const name of names) {
    const extension = extname(name).toLowerCase();
    const unreadable = (reason: string) => read.problems.push({ kind: 'unreadable_file', source: name, reason });
    if (statSync(join(directory, name)).isDirectory()) {
      unreadable('a folder: take-homes are read as one file per candidate');
      continue;
    }
    if (!TAKE_HOME_EXTENSIONS.has(extension)) {
      unreadable('not a Markdown (.md) or text (.txt) file; convert it to grade it');
      continue;
    }
    const candidateId = name.slice(0, name.length - extension.length);
    const earlier = fileOf.get(candidateId);
    if (earlier) {
      unreadable(`${earlier} already holds candidate "${candidateId}"'s answers`);
      continue;
    }
    fileOf.set(candidateId, name);
    const text = readInputText(join(directory, name)).replace(/^\uFEFF/, '');
    if (text.includes('\u0000')) {
      unreadable('not a text file');
      continue;
    }
    // An empty file, like a question left out, is the candidate's: it counts 0 in the report rather than going unseen.
    read.takeHomeCandidates.push(candidateId);
    if (text.trim() === '') continue;
    for (const section of splitTakeHome(text, questions)) {
      const source = `${name}:${section.line}`;
      if (section.kind === 'unattributed') {
        read.problems.push({ kind: 'unattributed_section', source, reason: section.reason, candidateId, excerpt: excerptOf(section.text) });
      } else {
        // A heading with nothing under it is graded like any empty answer: 0, flagged empty.
        read.answers.push(createBatchAnswer(candidateId, { questionId: section.questionId }, section.text, source));
      }
    }
  }
  return read;
}

