import type { z } from 'zod';
import { valueAt } from '../errors/describe-issue.js';

/** What a setting's value must be, in words, from a zod issue: "must be at most 1". */
function settingRequirement(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'must be a whole number' : `must be a ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be a URL' : issue.message;
    default:
      return issue.message;
  }
}

/** "must be at most 1, not "2"": the requirement, and the value given when it is a plain one. */
export function describeSettingIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const value = valueAt(input, issue.path);
  const given = typeof value === 'string' || typeof value === 'number' ? `, not "${String(value)}"` : '';
  return `${settingRequirement(issue)}${given}`;
}
