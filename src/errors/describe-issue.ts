import type { z } from 'zod';
import { formatIssuePath } from './format-issue-path.js';

/** The value at a path of parsed JSON, or undefined where there is none. */
export function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A zod issue in words: "score: must be 0 or more", or "question_id is missing" when the input
 * has no value there (zod would say "Invalid input"); `whole` names an issue of the input itself.
 */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, whole: string): string {
  const path = formatIssuePath(issue.path);
  if (!path) return `${whole}: ${issue.message}`;
  if (valueAt(input, issue.path) === undefined) return `${path} is missing`;
  return `${path}: ${issue.message}`;
}
