import type { GradeFlag } from '../../grading/grade-schema.js';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import { questionColumnKey, type ResultRow } from '../result-row.js';
import { SHINGLE_WORDS, sharedSpans, shingleText, type ShingledText } from './word-shingles.js';

/** Of the shorter answer's words, the share inside four-word phrases the other answer has too, for the two to be "similar". */
export const SIMILAR_SHARE = 0.5;
/** And at least this many: a dozen shared words or more, never two short answers that happen to agree. */
const MIN_SHARED_SHINGLES = 8;
/** Of an answer's words, the share inside four-word phrases of the reference answer for it to be "mostly the reference's own text". */
export const REFERENCE_SHARE = 0.5;
/** A phrase in more than this share of a question's answers is a common phrase, not a sign of copying. */
const COMMON_PHRASE_SHARE = 0.1;
const COMMON_PHRASE_MIN = 10;

export type SimilarAnswer = { candidateId: string; share: number; score: number };

export type SimilarGroup = {
  questionKey: string;
  /** The candidates whose answers share most of their text, best-scored first. */
  members: { candidateId: string; score: number; maxScore: number }[];
  /** Each pair found, with the share of the shorter answer's phrases they have in common. */
  pairs: { left: string; right: string; share: number }[];
  /** The longest passages the most similar pair shares, as written. */
  spans: string[];
  /** Highest minus lowest score in the group. */
  spread: number;
  /** The spread is over a third of the question's scale: the similar answers were graded differently. */
  gradesDiffer: boolean;
};

/** What the analysis reads of a result row. */
export type SimilarityRow = Pick<
  ResultRow,
  'candidateId' | 'questionId' | 'questionKey' | 'question' | 'answer' | 'score' | 'maxScore' | 'flags' | 'similarTo'
>;

export type SimilarityResult<Row extends SimilarityRow> = {
  /** The rows, each with `similarTo` and the `copies_reference` flag set from this analysis. */
  rows: Row[];
  groups: SimilarGroup[];
  /** Whether any row's similarTo or copies_reference changed (results.jsonl is then rewritten). */
  changed: boolean;
};

type Entry = { row: SimilarityRow; shingled: ShingledText; phrases: Set<number> };

/**
 * Finds, per question, answers of different candidates that share most of their text (copies and
 * near-copies, after normalising case, whitespace and punctuation) by four-word shingles: an
 * inverted index from phrase to answers counts what each pair shares, so only pairs with a phrase
 * in common are compared, and phrases most answers use (or the question's and reference's own words)
 * never pair two answers. Answers that are mostly the reference answer's text are flagged
 * `copies_reference`; their scores are kept.
 */
export function findSimilarAnswers<Row extends SimilarityRow>(
  rows: readonly Row[],
  bank: Pick<QuestionBank, 'get'>,
): SimilarityResult<Row> {
  const byQuestion = new Map<string, Row[]>();
  for (const row of rows) {
    const key = questionColumnKey(row);
    const list = byQuestion.get(key);
    if (list) list.push(row);
    else byQuestion.set(key, [row]);
  }
  const similarTo = new Map<SimilarityRow, SimilarAnswer[]>();
  const copiesReference = new Set<SimilarityRow>();
  const groups: SimilarGroup[] = [];
  for (const [questionKey, answers] of byQuestion) {
    const rubric = bank.get(questionKey);
    const reference = new Set(rubric ? shingleText(rubric.referenceAnswer).shingles : []);
    const question = new Set(
      shingleText(rubric?.question ?? answers.find((row) => row.question)?.question ?? '').shingles,
    );
    const entries: Entry[] = answers.map((row) => {
      const shingled = shingleText(row.answer);
      return { row, shingled, phrases: new Set(shingled.shingles) };
    });
    for (const entry of entries) {
      if (
        reference.size > 0 &&
        entry.phrases.size >= MIN_SHARED_SHINGLES &&
        sharedWordShare(entry, reference) >= REFERENCE_SHARE
      )
        copiesReference.add(entry.row);
    }
    const pairs = similarPairs(entries, new Set([...reference, ...question]));
    for (const { left, right, share } of pairs) {
      push(similarTo, entries[left].row, {
        candidateId: entries[right].row.candidateId,
        share,
        score: entries[right].row.score,
      });
      push(similarTo, entries[right].row, {
        candidateId: entries[left].row.candidateId,
        share,
        score: entries[left].row.score,
      });
    }
    groups.push(...groupPairs(questionKey, entries, pairs));
  }
  let changed = false;
  const annotated = rows.map((row) => {
    const similar = similarTo.get(row)?.sort((left, right) => right.share - left.share);
    const flags: GradeFlag[] = row.flags.filter((flag) => flag !== 'copies_reference');
    if (copiesReference.has(row)) flags.push('copies_reference');
    const next: Row = { ...row, flags };
    delete next.similarTo;
    if (similar) next.similarTo = similar;
    if (
      JSON.stringify(next.similarTo ?? null) !== JSON.stringify(row.similarTo ?? null) ||
      flags.join() !== row.flags.join()
    )
      changed = true;
    return next;
  });
  groups.sort(
    (left, right) =>
      left.questionKey.localeCompare(right.questionKey, 'en', { numeric: true }) ||
      right.members.length - left.members.length,
  );
  return { rows: annotated, groups, changed };
}

function similarPairs(
  entries: readonly Entry[],
  ignored: ReadonlySet<number>,
): { left: number; right: number; share: number }[] {
  const postings = new Map<number, number[]>();
  entries.forEach((entry, index) => {
    for (const phrase of entry.phrases) {
      if (ignored.has(phrase)) continue;
      const list = postings.get(phrase);
      if (list) list.push(index);
      else postings.set(phrase, [index]);
    }
  });
  const common = Math.max(COMMON_PHRASE_MIN, Math.ceil(entries.length * COMMON_PHRASE_SHARE));
  const shared = new Map<number, number>();
  for (const list of postings.values()) {
    if (list.length < 2 || list.length > common) continue;
    for (let first = 0; first < list.length; first += 1) {
      for (let second = first + 1; second < list.length; second += 1) {
        const key = list[first] * entries.length + list[second];
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  const pairs: { left: number; right: number; share: number }[] = [];
  for (const [key, count] of shared) {
    if (count < MIN_SHARED_SHINGLES) continue;
    const left = Math.floor(key / entries.length);
    const right = key % entries.length;
    if (entries[left].row.candidateId === entries[right].row.candidateId) continue;
    const [shorter, longer] =
      entries[left].shingled.starts.length <= entries[right].shingled.starts.length
        ? [entries[left], entries[right]]
        : [entries[right], entries[left]];
    const share = sharedWordShare(shorter, longer.phrases, ignored);
    if (share >= SIMILAR_SHARE) pairs.push({ left, right, share: Math.round(share * 100) / 100 });
  }
  return pairs;
}

/**
 * The share of an answer's words that lie in a four-word phrase the other answer has too (not the
 * question's or the reference's): a word changed here and there leaves most of a copy covered.
 */
function sharedWordShare(entry: Entry, other: ReadonlySet<number>, ignored: ReadonlySet<number> = new Set()): number {
  const words = entry.shingled.starts.length;
  const covered = new Uint8Array(words);
  entry.shingled.shingles.forEach((phrase, index) => {
    if (other.has(phrase) && !ignored.has(phrase)) covered.fill(1, index, index + SHINGLE_WORDS);
  });
  return covered.reduce((sum, value) => sum + value, 0) / Math.max(words, 1);
}

function groupPairs(
  questionKey: string,
  entries: readonly Entry[],
  pairs: readonly { left: number; right: number; share: number }[],
): SimilarGroup[] {
  const parent = entries.map((_, index) => index);
  const root = (index: number): number => (parent[index] === index ? index : (parent[index] = root(parent[index])));
  for (const { left, right } of pairs) parent[root(left)] = root(right);
  const components = new Map<number, number[]>();
  for (const { left, right } of pairs) {
    for (const index of [left, right]) {
      const list = components.get(root(index)) ?? [];
      if (!list.includes(index)) list.push(index);
      components.set(root(index), list);
    }
  }
  return [...components.values()].map((members) => {
    const inGroup = new Set(members);
    const groupPairList = pairs.filter((pair) => inGroup.has(pair.left));
    const closest = groupPairList.reduce((best, pair) => (pair.share > best.share ? pair : best));
    const scores = members.map((index) => entries[index].row.score);
    const maxScore = Math.max(...members.map((index) => entries[index].row.maxScore));
    const spread = Math.max(...scores) - Math.min(...scores);
    return {
      questionKey,
      members: members
        .map((index) => ({
          candidateId: entries[index].row.candidateId,
          score: entries[index].row.score,
          maxScore: entries[index].row.maxScore,
        }))
        .sort((left, right) => right.score - left.score || left.candidateId.localeCompare(right.candidateId)),
      pairs: groupPairList.map((pair) => ({
        left: entries[pair.left].row.candidateId,
        right: entries[pair.right].row.candidateId,
        share: pair.share,
      })),
      spans: sharedSpans(
        entries[closest.left].row.answer,
        entries[closest.left].shingled,
        entries[closest.right].phrases,
      ),
      spread: Math.round(spread * 100) / 100,
      gradesDiffer: spread > maxScore / 3,
    };
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
