import type { DatasetRow } from './dataset.js';

export type FoldBy = 'question' | 'assignment';

/**
 * What keeps rows together in a fold: their question, or their assignment (a row's `assignment`
 * field, else the part of its question id before the last dot: Mohler's "3.4" is assignment 3).
 */
export function foldGroupOf(row: DatasetRow, foldBy: FoldBy): string {
  if (foldBy === 'question') return `${row.dataset}/${row.question_id}`;
  const assignment = (row as { assignment?: unknown }).assignment;
  const id =
    typeof assignment === 'string' || typeof assignment === 'number'
      ? String(assignment)
      : row.question_id.replace(/\.[^.]*$/, '');
  return `${row.dataset}/${id}`;
}

/** The indices of the rows, grouped by key; a row whose key is undefined is left out. */
export function indicesBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const members = groups.get(key);
    if (members) members.push(index);
    else groups.set(key, [index]);
  });
  return groups;
}

/** Groups, not answers, are split across folds: nothing fitted sees the question (or assignment) it scores. */
export function questionFolds(keys: readonly string[], folds: number): number[] {
  const distinct = [...new Set(keys)].sort();
  // A fixed shuffle (by a hash of the key) so folds do not follow the data set's own ordering.
  const hash = (text: string) =>
    [...text].reduce((value, character) => Math.imul(value ^ character.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const order = distinct.sort((a, b) => hash(a) - hash(b) || a.localeCompare(b));
  const foldOf = new Map(order.map((key, index) => [key, index % folds]));
  return keys.map((key) => foldOf.get(key) ?? 0);
}

/** A seeded generator (mulberry32): the same seed picks the same examples on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per question, `shots` row indices chosen at random to serve as graded examples. */
export function chooseExamples(
  groups: ReadonlyMap<string, readonly number[]>,
  shots: number,
  seed: number,
): Set<number> {
  const random = seededRandom(seed);
  const chosen = new Set<number>();
  for (const key of [...groups.keys()].sort()) {
    const members = [...(groups.get(key) ?? [])];
    for (let index = members.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [members[index], members[other]] = [members[other], members[index]];
    }
    for (const member of members.slice(0, shots)) chosen.add(member);
  }
  return chosen;
}
