import type { GradeFlag, KeyPointResult } from '../grade-schema.js';
import type { Features } from './features.js';

const FLAG_SENTENCES: Record<GradeFlag, string> = {
  empty: 'The answer is empty or says nothing about the question.',
  off_topic: 'The answer does not address what the reference answer covers; it reads as an answer to a different question.',
  parroting: 'Most of the answer restates the question instead of answering it.',
  keyword_list: "The answer lists the reference's keywords without explaining them, which earns little credit.",
  injection_suspected: 'Part of the answer addresses the grader rather than the question; it was ignored when scoring.',
  too_short: 'The answer is too short to show understanding.',
  needs_review: 'A person should review this grade.',
  llm_unavailable: 'The language model could not grade this answer; the local scorer did.',
};

function shorten(text: string, length = 70): string {
  const clean = text.replace(/\s+/g, ' ').trim().replace(/[.]$/, '');
  return clean.length <= length ? clean : `${clean.slice(0, length - 1).trimEnd()}…`;
}

function list(items: readonly KeyPointResult[]): string {
  return items.map((item) => `"${shorten(item.text)}"`).join('; ');
}

export function writeRationale(keyPoints: readonly KeyPointResult[], features: Features, flags: readonly GradeFlag[]): string {
  if (flags.includes('empty')) return FLAG_SENTENCES.empty;
  const covered = keyPoints.filter((keyPoint) => keyPoint.status === 'covered');
  const partial = keyPoints.filter((keyPoint) => keyPoint.status === 'partial');
  const missing = keyPoints.filter((keyPoint) => keyPoint.status === 'missing');
  const sentences: string[] = [];
  sentences.push(`Covers ${covered.length} of ${keyPoints.length} key points${covered.length ? `: ${list(covered)}` : ''}.`);
  if (partial.length) sentences.push(`Touches on ${list(partial)} without making ${partial.length === 1 ? 'it' : 'them'} fully.`);
  if (missing.length) sentences.push(`Does not show ${list(missing)}.`);
  const closeness = features.recall >= 0.55 ? 'closely matches' : features.recall >= 0.3 ? 'partly matches' : 'has little in common with';
  sentences.push(`Overall it ${closeness} the reference answer in meaning.`);
  for (const flag of flags) sentences.push(FLAG_SENTENCES[flag]);
  return sentences.join(' ');
}
