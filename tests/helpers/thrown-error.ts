import { expect } from 'vitest';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';

/** The AnswerkeyError an action fails with, checked to be one line; fails the test when it does not throw one. */
export async function thrown(action: () => Promise<unknown>): Promise<AnswerkeyError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(AnswerkeyError);
    expect((error as AnswerkeyError).message).not.toContain('\n');
    return error as AnswerkeyError;
  }
  throw new Error('expected an AnswerkeyError');
}
