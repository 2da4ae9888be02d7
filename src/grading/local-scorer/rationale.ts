import { bandFor, type Band, type GradeFlag, type KeyPointResult, type MisconceptionResult } from '../grade-schema.js';
import { derivedTally } from './derived-key-point-statuses.js';

const FLAG_SENTENCES: Record<GradeFlag, string> = {
  empty: 'The answer is empty or says nothing about the question.',
  off_topic:
    'The answer does not address what the reference answer covers; it reads as an answer to a different question.',
  parroting: 'Most of the answer restates the question instead of answering it.',
  keyword_list: "The answer lists the reference's keywords without explaining them, which earns little credit.",
  injection_suspected: 'Part of the answer addresses the grader rather than the question; it was ignored when scoring.',
  too_short: 'The answer is too short to show understanding.',
  needs_review: 'A person should review this grade.',
  llm_unavailable: 'The language model could not grade this answer; the local scorer did.',
  contradicts_reference:
    'The answer states things the reference contradicts (listed below); they cost points and a person should review it.',
  copies_reference:
    "Most of the answer is the reference answer's own text; in a take-home that may mean a leaked answer key.",
};

/** When the only words addressed to the question were instructions to the grader: the interviewer must hear about the attempt. */
const INJECTION_ONLY =
  'The answer only addresses the grader (it asks for a score instead of answering the question); that text was ignored, and nothing that answers the question is left. A person should review it.';

const LITTLE_EVIDENCE =
  'It shares few words with the reference answer, so it may be wrong or right in words the scorer does not recognise: a person should review this grade.';

/** Cuts at a word boundary so a key point reads as a phrase, not a broken word. */
function shorten(text: string, length = 60): string {
  const clean = text.replace(/\s+/g, ' ').trim().replace(/[.]$/, '');
  if (clean.length <= length) return clean;
  const cut = clean.slice(0, length);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), length / 2)).replace(/[,;:]$/, '')}…`;
}

function list(items: readonly KeyPointResult[]): string {
  return items.map((item) => `"${shorten(item.text)}"`).join('; ');
}

const VERDICT: Record<Band, string> = {
  excellent: 'An excellent answer',
  good: 'A good answer',
  fair: 'A fair answer with gaps',
  weak: 'A weak answer',
  poor: 'A poor answer',
};

/** What the score was reached from, before graded examples moved it. */
export interface ScoreBasis {
  /** The score from the reference alone, 0–1. */
  score: number;
  keyPointSource: 'rubric' | 'derived';
}

/** How closely the answer matches the reference overall, in the words of the score it earned. */
function closeness(score: number): string {
  if (score >= 0.65) return 'closely matches';
  if (score >= 0.35) return 'partly matches';
  return 'has little in common with';
}

/** Derived key points that still show far more or less than the score are explained, not left to contradict it. */
const DERIVED_DISAGREEMENT = 0.25;
const DERIVED_KEY_POINTS =
  'With no rubric for this question, the key points were cut from the reference answer and only show where the answer meets it in the same words; the score rests on the match in meaning.';

/** Each wrong claim by its quote and what is wrong with it. */
function wrongClaimsSentence(misconceptions: readonly MisconceptionResult[]): string {
  const claims = misconceptions.map(
    (claim) =>
      `"${shorten(claim.evidence, 80)}" (${claim.kind === 'listed' ? `a known mistake: ${shorten(claim.text, 80)}` : shorten(claim.text, 90)})`,
  );
  return `It states what is wrong: ${claims.join('; ')}. Each costs points, and the key point it contradicts is not counted.`;
}

export function writeRationale(
  keyPoints: readonly KeyPointResult[],
  flags: readonly GradeFlag[],
  normalizedScore: number,
  basis: ScoreBasis,
  misconceptions: readonly MisconceptionResult[] = [],
): string {
  if (flags.includes('empty')) return flags.includes('injection_suspected') ? INJECTION_ONLY : FLAG_SENTENCES.empty;
  const covered = keyPoints.filter((keyPoint) => keyPoint.status === 'covered');
  const partial = keyPoints.filter((keyPoint) => keyPoint.status === 'partial');
  const missing = keyPoints.filter((keyPoint) => keyPoint.status === 'missing');
  const verdict = VERDICT[bandFor(normalizedScore)];
  const sentences: string[] = [];
  const partly = partial.length ? ` and ${partial.length} partly` : '';
  sentences.push(`${verdict}: it makes ${covered.length} of ${keyPoints.length} key points${partly}.`);
  if (partial.length) sentences.push(`Only touched on: ${list(partial)}.`);
  if (missing.length) sentences.push(`Missing: ${list(missing)}.`);
  sentences.push(`Overall it ${closeness(basis.score)} the reference answer in meaning.`);
  if (basis.keyPointSource === 'derived' && Math.abs(derivedTally(keyPoints) - basis.score) > DERIVED_DISAGREEMENT)
    sentences.push(DERIVED_KEY_POINTS);
  if (misconceptions.length > 0) sentences.push(wrongClaimsSentence(misconceptions));
  for (const flag of flags) {
    if (flag === 'contradicts_reference' && misconceptions.length > 0) continue;
    // Without a suspected injection or a wrong claim, review is asked for because the answer shares too little with the reference to judge.
    const unjudged =
      flag === 'needs_review' && !flags.includes('injection_suspected') && !flags.includes('contradicts_reference');
    sentences.push(unjudged ? LITTLE_EVIDENCE : FLAG_SENTENCES[flag]);
  }
  return sentences.join(' ');
}
