import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleCreatedSchema, problemSchema } from '../../src/server/api-schemas.js';
import { startTestServer } from '../helpers/test-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-idempotency-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const BODY = {
  questionId: 'q4',
  answer: 'Graph mode traces the function with tf.function and exports a SavedModel.',
  score: 3,
  note: 'no debugging',
};
const storedLines = (directory: string) => readFileSync(join(directory, 'q4.jsonl'), 'utf8').trim().split('\n');

describe('POST /v1/examples with an Idempotency-Key', () => {
  it('stores one example however often, and however concurrently, the request is retried, across a restart', async () => {
    const examplesDirectory = join(scratch, 'retries');
    const first = await startTestServer({}, undefined, { examplesDirectory });
    const headers = { 'idempotency-key': 'b7c1e0f4-retry-me' };
    let originalId: string;
    try {
      const responses = await Promise.all(Array.from({ length: 6 }, () => first.post('/v1/examples', BODY, headers)));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 201]);
      const examples = await Promise.all(
        responses.map(async (response) => exampleCreatedSchema.parse(await response.json())),
      );
      originalId = examples[0].id;
      expect(new Set(examples.map((example) => example.id))).toEqual(new Set([originalId]));
      expect(
        responses
          .filter((response) => response.status === 200)
          .every((response) => response.headers.get('idempotent-replayed') === 'true'),
      ).toBe(true);
      expect(storedLines(examplesDirectory)).toHaveLength(1);
    } finally {
      await first.close();
    }
    // A new process over the same folder still knows the key: the stored example carries it.
    const second = await startTestServer({}, undefined, { examplesDirectory });
    try {
      const retried = await second.post('/v1/examples', BODY, headers);
      expect(retried.status).toBe(200);
      expect(exampleCreatedSchema.parse(await retried.json()).id).toBe(originalId);
      expect(storedLines(examplesDirectory)).toHaveLength(1);
      // Without a key, the same body is a new example, as before.
      expect((await second.post('/v1/examples', BODY)).status).toBe(201);
      expect(storedLines(examplesDirectory)).toHaveLength(2);
    } finally {
      await second.close();
    }
  });

  it('refuses the same key for a different example with 422, storing nothing', async () => {
    const examplesDirectory = join(scratch, 'reuse');
    const server = await startTestServer({}, undefined, { examplesDirectory });
    try {
      const headers = { 'idempotency-key': 'one-key' };
      expect((await server.post('/v1/examples', BODY, headers)).status).toBe(201);
      const reused = await server.post('/v1/examples', { ...BODY, score: 4 }, headers);
      expect(reused.status).toBe(422);
      expect(problemSchema.parse(await reused.json()).detail).toMatch(
        /^this Idempotency-Key was used for another example/,
      );
      expect(storedLines(examplesDirectory)).toHaveLength(1);
      const malformed = await server.post('/v1/examples', BODY, { 'idempotency-key': 'x'.repeat(256) });
      expect(malformed.status).toBe(400);
      expect(problemSchema.parse(await malformed.json()).errors).toEqual([
        { path: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    } finally {
      await server.close();
    }
  });

  it("keeps two clients' keys apart: the same key from two API keys stores two examples", async () => {
    const examplesDirectory = join(scratch, 'clients');
    const [alice, bob] = ['a'.repeat(24), 'b'.repeat(24)];
    const server = await startTestServer({ ANSWERKEY_API_KEYS: `${alice}:examples,${bob}:examples` }, undefined, {
      examplesDirectory,
    });
    try {
      const sent = (token: string) =>
        server.post('/v1/examples', BODY, { 'idempotency-key': 'same', authorization: `Bearer ${token}` });
      expect((await sent(alice)).status).toBe(201);
      expect((await sent(bob)).status).toBe(201);
      expect((await sent(alice)).status).toBe(200);
      expect(storedLines(examplesDirectory)).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
