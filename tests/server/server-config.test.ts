import { describe, expect, it } from 'vitest';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { parseApiKeys, resolveServerConfig } from '../../src/server/server-config.js';

const token = 't'.repeat(24);

describe('API keys and their scopes', () => {
  it.each([
    ['a bare token grades and reads, as every key did before the examples scope', token, ['grade', 'read']],
    ['token:read only reads', `${token}:read`, ['read']],
    ['token:grade+read grades and reads', `${token}:grade+read`, ['grade', 'read']],
    [
      'token:examples changes graded examples, and grades and reads too',
      `${token}:examples`,
      ['examples', 'grade', 'read'],
    ],
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
    expect((error as AnswerkeyError).hint).toBe(
      'scopes are grade, read, examples (write token:read, token:grade+read or token:examples)',
    );
  });
});

describe('API key names (who the review log names)', () => {
  it('takes "name=" before a key, and otherwise names a key by the first 8 hex digits of its SHA-256', () => {
    const [alice, bare] = parseApiKeys(`alice=${token}:examples,${'u'.repeat(24)}`);
    expect(alice).toMatchObject({ name: 'alice', token });
    expect([...alice.scopes].sort()).toEqual(['examples', 'grade', 'read']);
    expect(bare.name).toMatch(/^key-[0-9a-f]{8}$/);
    expect(bare.name).not.toContain('u');
    // The same key is named alike wherever it is listed.
    expect(parseApiKeys(`${'v'.repeat(24)},${'u'.repeat(24)}`)[1].name).toBe(bare.name);
  });

  it('reads a token that merely holds "=" (base64 padding) as a token, as before names existed', () => {
    const padded = `${'A'.repeat(22)}==`;
    expect(parseApiKeys(padded)[0].token).toBe(padded);
    expect(parseApiKeys(`${padded}:read`)[0].token).toBe(padded);
  });

  it('refuses two keys of one name', () => {
    expect(() => parseApiKeys(`alice=${token},alice=${'u'.repeat(24)}`)).toThrow('two API keys are named "alice"');
  });
});

describe('the limit on changes to graded examples', () => {
  it('is 30 a minute unless ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE says otherwise, and a whole number of at least 1', () => {
    expect(resolveServerConfig({}, {}).exampleWritesPerMinute).toBe(30);
    expect(resolveServerConfig({}, { ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE: '5' }).exampleWritesPerMinute).toBe(5);
    expect(() => resolveServerConfig({}, { ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE: '0' })).toThrow(
      'invalid setting ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE: must be at least 1, not "0"',
    );
  });
});
