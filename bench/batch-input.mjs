// Shared by the batch benches: a JSONL of answers to the shipped bank's questions, in variants
// from strong to junk, made distinct per candidate by a seeded shuffle of sentences.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Answer variants for one rubric: the mix a real batch has, strong to junk. */
function variants(rubric, fixtures, other) {
  const sentences = (text) => text.split(/(?<=[.!?])\s+/).filter(Boolean);
  return [
    { weight: 3, sentences: sentences(fixtures.paraphrase) },
    { weight: 2, sentences: sentences(rubric.referenceAnswer) },
    { weight: 2, sentences: rubric.keyPoints.map((point) => `${point.text}.`) },
    { weight: 3, sentences: sentences(fixtures.partial) },
    { weight: 1, sentences: sentences(other.referenceAnswer) },
    {
      weight: 1,
      sentences: ['I have not worked with this directly, but I would read the documentation and ask the team.'],
    },
  ];
}

/** Writes `count` answers (candidates × the 21 questions) to `path`; returns the candidates' count. */
export function writeBenchInput(path, count, seed = 7) {
  const random = seededRandom(seed);
  const fixtures = yaml.load(readFileSync(join(root, 'tests', 'fixtures', 'candidate-answers.yaml'), 'utf8'));
  const rubrics = Object.keys(fixtures)
    .sort((left, right) => Number(left.slice(1)) - Number(right.slice(1)))
    .map((id) => yaml.load(readFileSync(join(root, 'rubrics', `${id}.yaml`), 'utf8')));
  const pools = rubrics.map((rubric, index) => {
    const options = variants(rubric, fixtures[rubric.id], rubrics[(index + 5) % rubrics.length]);
    return options.flatMap((option) => Array.from({ length: option.weight }, () => option.sentences));
  });
  const lines = [];
  for (let candidate = 0; lines.length < count; candidate += 1) {
    for (let index = 0; index < rubrics.length && lines.length < count; index += 1) {
      const pool = pools[index];
      const sentences = [...pool[Math.floor(random() * pool.length)]];
      // Drop a sentence now and then and shuffle the rest: every answer text differs.
      if (sentences.length > 2 && random() < 0.5) sentences.splice(Math.floor(random() * sentences.length), 1);
      for (let swap = sentences.length - 1; swap > 0; swap -= 1) {
        const other = Math.floor(random() * (swap + 1));
        [sentences[swap], sentences[other]] = [sentences[other], sentences[swap]];
      }
      lines.push(
        JSON.stringify({
          candidate_id: `cand-${String(candidate + 1).padStart(4, '0')}`,
          question_id: rubrics[index].id,
          answer: sentences.join(' '),
        }),
      );
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return Math.ceil(count / rubrics.length);
}
