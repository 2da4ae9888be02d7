import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { termWeight } from '../../src/embeddings/term-weight.js';
import { cosine, trigramVector, WordVectors } from '../../src/embeddings/word-vectors.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { cliHint } from '../../src/cli/error-hints.js';

/** The first bytes of the real file, so only the field under test differs. */
function realHeader(): Buffer {
  const bytes = Buffer.alloc(64);
  const descriptor = openSync(DEFAULT_PATHS.vectorsPath, 'r');
  try {
    readSync(descriptor, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(descriptor);
  }
  return bytes;
}

const norm = (vector: Float32Array): number => Math.sqrt(cosine(vector, vector));

function openError(path: string): AnswerkeyError {
  try {
    WordVectors.open(path).close();
  } catch (error) {
    expect(error).toBeInstanceOf(AnswerkeyError);
    return error as AnswerkeyError;
  }
  throw new Error(`expected WordVectors.open(${path}) to throw`);
}

let vectors: WordVectors;
beforeAll(() => {
  vectors = WordVectors.open(DEFAULT_PATHS.vectorsPath);
});
afterAll(() => {
  vectors?.close();
});

describe('WordVectors.open', () => {
  it('opens the shipped file with 100 dimensions and a large vocabulary', () => {
    expect(vectors.dimensions).toBe(100);
    expect(vectors.count).toBeGreaterThan(100_000);
  });

  describe('with a bad file', () => {
    let directory: string;
    beforeAll(() => {
      directory = mkdtempSync(join(tmpdir(), 'answerkey-vectors-'));
    });
    afterAll(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it("throws 'vectors_missing' naming the path when the file does not exist", () => {
      const path = join(directory, 'nope.bin');
      const error = openError(path);
      expect(error.code).toBe('vectors_missing');
      expect(error.message).toContain(path);
      expect(error.hint).toMatch(/prepare-vectors/);
    });

    it("throws 'vectors_missing' when the magic bytes are wrong", () => {
      const path = join(directory, 'wrong-magic.bin');
      const copy = realHeader();
      copy.write('GLOV', 0, 'latin1');
      writeFileSync(path, copy);
      const error = openError(path);
      expect(error.code).toBe('vectors_missing');
      expect(error.message).toContain(path);
    });

    it("throws 'vectors_missing' when the format version is wrong", () => {
      const path = join(directory, 'old-version.bin');
      const copy = realHeader();
      copy.writeUInt32LE(1, 4);
      writeFileSync(path, copy);
      const error = openError(path);
      expect(error.code).toBe('vectors_missing');
      // The command line's hint is a command that runs as printed (`npm run prepare-vectors` reconverts by itself).
      expect(cliHint(error)).toBe(error.hint);
      expect(cliHint(error)).toMatch(/`npm run prepare-vectors`/);
    });

    it("throws 'vectors_missing' for a file shorter than the header", () => {
      const path = join(directory, 'tiny.bin');
      writeFileSync(path, 'AK');
      expect(openError(path).code).toBe('vectors_missing');
    });
  });
});

describe('WordVectors.entry: known words', () => {
  it('marks common words as known, with their frequency rank', () => {
    const the = vectors.entry('the');
    const database = vectors.entry('database');
    expect(the.known).toBe(true);
    expect(database.known).toBe(true);
    expect(the.rank).toBe(vectors.rankOf('the'));
    expect(database.rank).toBe(vectors.rankOf('database'));
    expect(the.rank).toBeLessThan(database.rank);
    expect(database.rank).toBeLessThan(vectors.count);
  });

  it('returns unit-length vectors of the right size', () => {
    for (const word of ['the', 'database', 'execution', 'latency']) {
      const { vector } = vectors.entry(word);
      expect(vector).toHaveLength(vectors.dimensions);
      expect(norm(vector), word).toBeCloseTo(1, 1);
    }
  });

  it('puts related words closer together than unrelated ones', () => {
    const database = vectors.entry('database').vector;
    expect(cosine(database, vectors.entry('databases').vector)).toBeGreaterThan(cosine(database, vectors.entry('banana').vector));
    expect(cosine(vectors.entry('cache').vector, vectors.entry('memory').vector)).toBeGreaterThan(
      cosine(vectors.entry('cache').vector, vectors.entry('poetry').vector),
    );
  });

  it('returns the same entry for repeated lookups', () => {
    const first = vectors.entry('scalability');
    const second = vectors.entry('scalability');
    expect(Array.from(second.vector)).toEqual(Array.from(first.vector));
    expect(second.rank).toBe(first.rank);
  });
});

describe('WordVectors.entry: spelling correction', () => {
  it('maps a one-typo common word to the vector of the word it misspells', () => {
    expect(vectors.rankOf('executon')).toBeUndefined();
    const typo = vectors.entry('executon');
    const correct = vectors.entry('execution');
    expect(typo.known).toBe(true);
    expect(typo.rank).toBe(correct.rank);
    expect(Array.from(typo.vector)).toEqual(Array.from(correct.vector));
  });

  it('corrects transpositions and insertions as well as deletions', () => {
    const latency = vectors.entry('latency');
    expect(vectors.entry('latnecy').rank).toBe(latency.rank);
    expect(vectors.entry('latenncy').rank).toBe(latency.rank);
  });

  it('does not "correct" the tool name "redis" into the common word "reds"', () => {
    expect(vectors.rankOf('redis')).toBeUndefined();
    expect(cosine(vectors.entry('redis').vector, vectors.entry('reds').vector)).toBeLessThan(0.99);
  });

  it('corrects only to common words: a typo one edit from a rare word only keeps its trigram vector', () => {
    // "overfitting" is in the vocabulary but rare (rank > 50,000): a typo of it is not corrected.
    expect(vectors.rankOf('overfitting')).toBeGreaterThan(50_000);
    const typo = vectors.entry('overfiting');
    expect(typo.known).toBe(false);
    expect(typo.rank).toBe(vectors.count);
  });
});

describe('WordVectors.entry: unknown words', () => {
  const toolNames = ['tensorflow', 'pytorch', 'kubernetes', 'fastapi', 'grpc', 'pydantic'];

  it.each(toolNames)('gives %s a unit-length trigram vector and ranks it last', (word) => {
    expect(vectors.rankOf(word)).toBeUndefined();
    const entry = vectors.entry(word);
    expect(entry.known).toBe(false);
    expect(entry.rank).toBe(vectors.count);
    expect(norm(entry.vector)).toBeCloseTo(1, 5);
    expect(Array.from(entry.vector)).toEqual(Array.from(trigramVector(word, vectors.dimensions)));
  });

  it('builds the same trigram vector every time, in a fresh instance too', () => {
    const other = WordVectors.open(DEFAULT_PATHS.vectorsPath);
    try {
      expect(Array.from(other.entry('kubernetes').vector)).toEqual(Array.from(vectors.entry('kubernetes').vector));
    } finally {
      other.close();
    }
    expect(Array.from(trigramVector('fastapi', 100))).toEqual(Array.from(trigramVector('fastapi', 100)));
  });

  it('gives different unknown words different vectors', () => {
    expect(cosine(vectors.entry('tensorflow').vector, vectors.entry('kubernetes').vector)).toBeLessThan(0.5);
  });

  it('puts a typo of an unknown word closer to it than an unrelated unknown word', () => {
    const typo = vectors.entry('tensorflw');
    expect(typo.known).toBe(false);
    const tensorflow = vectors.entry('tensorflow').vector;
    const near = cosine(typo.vector, tensorflow);
    const far = cosine(typo.vector, vectors.entry('kubernetes').vector);
    expect(near).toBeGreaterThan(0.5);
    expect(near).toBeGreaterThan(far + 0.3);
  });
});

describe('termWeight', () => {
  it('stays within [0.05, 1]', () => {
    for (const rank of [0, 1, 10, 100, 1_000, 10_000, 100_000, vectors.count, vectors.count * 3]) {
      const weight = termWeight(rank, vectors.count);
      expect(weight, String(rank)).toBeGreaterThanOrEqual(0.05);
      expect(weight, String(rank)).toBeLessThanOrEqual(1);
    }
  });

  it('is monotone in rank, from the floor for the commonest word to 1 for unknown words', () => {
    let previous = -Infinity;
    for (let rank = 0; rank <= vectors.count; rank += 997) {
      const weight = termWeight(rank, vectors.count);
      expect(weight).toBeGreaterThanOrEqual(previous);
      previous = weight;
    }
    expect(termWeight(0, vectors.count)).toBe(0.05);
    expect(termWeight(vectors.count, vectors.count)).toBe(1);
    expect(termWeight(1_000, vectors.count)).toBeLessThan(termWeight(10_000, vectors.count));
    expect(termWeight(10_000, vectors.count)).toBeLessThan(termWeight(100_000, vectors.count));
  });

  it('weighs content words above function words and unknown tool names highest', () => {
    const weightOf = (word: string): number => termWeight(vectors.entry(word).rank, vectors.count);
    expect(weightOf('the')).toBeLessThan(weightOf('database'));
    expect(weightOf('database')).toBeLessThan(weightOf('tensorflow'));
    expect(weightOf('tensorflow')).toBe(1);
  });
});
