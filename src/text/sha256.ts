import { createHash } from 'node:crypto';

/** The SHA-256 of a text or bytes, as 64 hex digits: the one hash behind every id, cache key and checksum here. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
