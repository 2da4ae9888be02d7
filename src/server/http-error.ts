import { AnswerkeyError, type AnswerkeyErrorCode, type AnswerkeyErrorOptions } from '../errors/answerkey-error.js';

/** An error that is an HTTP answer: the error middleware turns it into a problem+json response. */
export class HttpError extends AnswerkeyError {
  readonly status: number;

  constructor(status: number, code: AnswerkeyErrorCode, message: string, options: AnswerkeyErrorOptions = {}) {
    super(code, message, options);
    this.name = 'HttpError';
    this.status = status;
  }
}
