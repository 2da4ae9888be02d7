import { sha256 } from '../text/sha256.js';
import type { GradedExample } from './graded-example.js';

/** What an Idempotency-Key may hold: 1–255 visible ASCII characters (a UUID, say). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The id an example stored with an idempotency key gets: derived from the key (and the API key
 * that sent it, so two clients' keys never meet), so the stored example itself records the key.
 * It survives a restart and needs no file of its own; a retry finds it by id, whenever it comes.
 */
export function idempotentExampleId(client: string, idempotencyKey: string): string {
  return `ex-${sha256(`${client}\n${idempotencyKey}`).slice(0, 8)}`;
}

/** Whether a stored example is what this request would store: a retry of the same request. */
export function storesSameExample(stored: GradedExample, wanted: Omit<GradedExample, 'id' | 'addedAt'>): boolean {
  return (
    stored.questionId === wanted.questionId &&
    stored.answer === wanted.answer &&
    stored.score === wanted.score &&
    stored.maxScore === wanted.maxScore &&
    (stored.note ?? null) === (wanted.note ?? null)
  );
}
