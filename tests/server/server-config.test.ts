import { describe, expect, it } from 'vitest';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { parseApiKeys, resolveServerConfig } from '../../src/server/server-config.js';

const token = 't'.repeat(24);

describe('API keys and their scopes', () => {
  it.each([
    ['a bare token grades and reads, as every key did before the examples scope', token, ['grade', 'read']],
    ['token:read only reads', `${token}:read`, ['read']],
    ['token:grade+read grades and reads', `${token}:grade+read`, ['grade', 'read']],
    ['token:examples changes graded examples, and grades and reads too', `${token}:examples`, ['examples', 'grade', 'read']],
  ])('%s', (_name, text, scopes) => {
    const [key] = parseApiKeys(text);
    expect(key.token).toBe(token);
    expect([...key.scopes].sort()).toEqual(scopes);
  });

  it('names an unknown scope and the forms there are', () => {
    let error: unknown;
    try {
      parseApiKeys(`${token}:read,${token}:admin`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AnswerkeyError);
    expect((error as AnswerkeyError).message).toBe('API key 2 has an unknown scope "admin"');
    expect((error as AnswerkeyError).hint).toBe('scopes are grade, read, examples (write token:read, token:grade+read or token:examples)');
  });
});

describe('the limit on changes to graded examples', () => {
  it('is 30 a minute unless ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE says otherwise, and a whole number of at least 1', () => {
    expect(resolveServerConfig({}, {}).exampleWritesPerMinute).toBe(30);
    expect(resolveServerConfig({}, { ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE: '5' }).exampleWritesPerMinute).toBe(5);
    expect(() => resolveServerConfig({}, { ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE: '0' })).toThrow('invalid setting ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE: must be at least 1, not "0"');
  });
});
