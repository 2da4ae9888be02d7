import { describe, expect, it } from 'vitest';
import { deriveKeyPoints } from '../../src/rubrics/derive-key-points.js';
import { keyPointSchema } from '../../src/rubrics/rubric-schema.js';
import { tokenize } from '../../src/text/tokenize.js';

const contentWords = (text: string): string[] => tokenize(text).filter((token) => !token.isStopword).map((token) => token.word);

describe('deriveKeyPoints', () => {
  it('yields one key point per sentence, with ids kp1… and weight 1', () => {
    const keyPoints = deriveKeyPoints(
      'Use a message queue to decouple services. Add retries with exponential backoff! Monitor latency with dashboards?',
    );
    expect(keyPoints.map((keyPoint) => keyPoint.id)).toEqual(['kp1', 'kp2', 'kp3']);
    expect(keyPoints.every((keyPoint) => keyPoint.weight === 1)).toBe(true);
    expect(keyPoints.every((keyPoint) => keyPoint.alternatives.length === 0)).toBe(true);
    expect(keyPoints[0].text).toContain('message queue');
    expect(keyPoints[1].text).toContain('exponential backoff');
    expect(keyPoints[2].text).toContain('latency with dashboards');
  });

  it('treats bullets and numbered lines as separate points and drops their markers', () => {
    const keyPoints = deriveKeyPoints('- cache hot reads\n* add read replicas\n1. shard by customer\n2) monitor replica lag');
    expect(keyPoints.map((keyPoint) => keyPoint.text)).toEqual([
      'cache hot reads',
      'add read replicas',
      'shard by customer',
      'monitor replica lag',
    ]);
  });

  it('splits a long comma-separated sentence into its clauses', () => {
    const reference =
      'I would shard the database by customer id, replicate each shard across three availability zones, ' +
      'cache hot reads in Redis with a short TTL, and route writes through a leader per shard.';
    const keyPoints = deriveKeyPoints(reference);
    expect(keyPoints.length).toBeGreaterThanOrEqual(4);
    expect(keyPoints[0].text).toContain('shard the database by customer id');
    expect(keyPoints[0].text).not.toContain('replicate');
    expect(keyPoints.some((keyPoint) => /^replicate each shard/.test(keyPoint.text))).toBe(true);
    expect(keyPoints.some((keyPoint) => /^cache hot reads in Redis/.test(keyPoint.text))).toBe(true);
    // the joining "and" is dropped, not left dangling at the start of the last clause
    expect(keyPoints.at(-1)?.text).toMatch(/^route writes through a leader/);
    expect(keyPoints.map((keyPoint) => keyPoint.id)).toEqual(keyPoints.map((_, index) => `kp${index + 1}`));
  });

  it('keeps a short sentence with commas whole', () => {
    const keyPoints = deriveKeyPoints('Use Redis, Memcached, or a CDN for caching.');
    expect(keyPoints).toHaveLength(1);
    expect(keyPoints[0].text).toBe('Use Redis, Memcached, or a CDN for caching.');
  });

  it('never yields more than 8 key points, and loses no content while merging', () => {
    const sentences = Array.from({ length: 20 }, (_, index) => `Step${index} configures component${index} carefully.`);
    const keyPoints = deriveKeyPoints(sentences.join(' '));
    expect(keyPoints).toHaveLength(8);
    expect(keyPoints.map((keyPoint) => keyPoint.id)).toEqual(['kp1', 'kp2', 'kp3', 'kp4', 'kp5', 'kp6', 'kp7', 'kp8']);
    const derived = keyPoints.flatMap((keyPoint) => contentWords(keyPoint.text));
    expect(derived).toEqual(contentWords(sentences.join(' ')));
  });

  it('stays at 8 or fewer for a long bulleted reference too', () => {
    const bullets = Array.from({ length: 13 }, (_, index) => `- point number ${index} about topic${index}`).join('\n');
    const keyPoints = deriveKeyPoints(bullets);
    expect(keyPoints.length).toBeLessThanOrEqual(8);
    expect(keyPoints.length).toBeGreaterThan(1);
    expect(keyPoints.map((keyPoint) => keyPoint.text).join(' ')).toContain('topic12');
  });

  it('yields one key point containing a one-phrase reference', () => {
    const keyPoints = deriveKeyPoints('Eager execution');
    expect(keyPoints).toEqual([{ id: 'kp1', text: 'Eager execution', weight: 1, alternatives: [], misconceptions: [] }]);
  });

  it('folds a one-word fragment into its neighbour instead of making it a key point', () => {
    const keyPoints = deriveKeyPoints('Cache hot reads in Redis. Definitely. Shard writes by tenant.');
    expect(keyPoints).toHaveLength(2);
    expect(keyPoints[0].text).toContain('Cache hot reads');
    expect(keyPoints[0].text).toContain('Definitely');
    expect(keyPoints[1].text).toContain('Shard writes');
  });

  it('produces key points that pass the rubric key point schema', () => {
    const keyPoints = deriveKeyPoints(
      'Eager execution runs operations immediately. Graph mode traces a function into a graph, optimises it, and runs it faster.',
    );
    for (const keyPoint of keyPoints) expect(keyPointSchema.safeParse(keyPoint).success, keyPoint.text).toBe(true);
  });
});
