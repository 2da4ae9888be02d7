import { AnswerkeyError } from '../errors/answerkey-error.js';

/** A model call that ran past its deadline (connect, headers and body together). */
export class ModelCallTimeout extends Error {
  override readonly name = 'TimeoutError';
  constructor(milliseconds: number) {
    super(`the model call timed out after ${milliseconds} ms`);
  }
}

/** Grading stopped on purpose (Ctrl-C, SIGTERM): not a failure of the model, never graded locally instead. */
export function interruptedError(): AnswerkeyError {
  return new AnswerkeyError('llm_unavailable', 'grading was interrupted before the model answered', {
    details: { reason: 'interrupted', interrupted: true },
  });
}

export function isInterruption(error: unknown): boolean {
  return error instanceof AnswerkeyError && error.details?.interrupted === true;
}

/**
 * Runs `call` with one deadline for all of it: whatever the client does (connect, wait for
 * headers, read a body trickling in a byte a second), the promise settles by `milliseconds`,
 * and the request is aborted. `stop` (Ctrl-C, SIGTERM) aborts it at once as an interruption.
 */
export function withDeadline<T>(
  milliseconds: number,
  stop: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (stop?.aborted) return Promise.reject(interruptedError());
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      stop?.removeEventListener('abort', onStop);
      settle();
    };
    const timer = setTimeout(() => {
      const timeout = new ModelCallTimeout(milliseconds);
      controller.abort(timeout);
      finish(() => reject(timeout));
    }, milliseconds);
    const onStop = () => {
      controller.abort(interruptedError());
      finish(() => reject(interruptedError()));
    };
    stop?.addEventListener('abort', onStop, { once: true });
    call(controller.signal).then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(controller.signal.aborted ? controller.signal.reason : error)),
    );
  });
}

/** Waits, unless `stop` fires first (then rejects as an interruption). */
export function sleepUnlessStopped(milliseconds: number, stop: AbortSignal | undefined): Promise<void> {
  if (stop?.aborted) return Promise.reject(interruptedError());
  return new Promise<void>((resolve, reject) => {
    const onStop = () => {
      clearTimeout(timer);
      reject(interruptedError());
    };
    const timer = setTimeout(() => {
      stop?.removeEventListener('abort', onStop);
      resolve();
    }, milliseconds);
    stop?.addEventListener('abort', onStop, { once: true });
  });
}
