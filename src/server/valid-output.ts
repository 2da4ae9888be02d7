import type { z } from 'zod';

/**
 * Checks a response body against its schema. A mismatch is our bug, not the client's: it is
 * thrown as a plain Error (a 500 in the logs), never as the ZodError that means a 400.
 */
export function validOutput<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new Error(`response does not match its schema: ${result.error.message}`, { cause: result.error });
  return result.data;
}
