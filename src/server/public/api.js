// The page's only door to the server: JSON in and out, an optional API key, errors as one readable sentence.

const KEY_STORAGE = 'answerkey.apiKey';

/** An error the page can show as it is: `detail` comes from the server's problem+json, or is written here. */
export class ApiError extends Error {
  /**
   * @param {string} detail
   * @param {{ status?: number, requestId?: string, errors?: {path: string, message: string}[] }} [extra]
   */
  constructor(detail, extra = {}) {
    super(detail);
    this.name = 'ApiError';
    this.detail = detail;
    this.status = extra.status ?? 0;
    this.requestId = extra.requestId ?? null;
    this.errors = extra.errors ?? [];
  }
}

export function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

export function storeKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage can be disabled; the key then lasts until the page reloads.
  }
  memoryKey = key;
}

let memoryKey = storedKey();

const STATUS_TEXT = {
  400: 'the request was not valid',
  401: 'an API key is required',
  403: 'the API key is not allowed to do this',
  404: 'not found',
  413: 'the request is too large',
  429: 'too many requests; wait a minute and try again',
  500: 'the server failed',
  502: 'a proxy in front of the server failed',
  503: 'the server is not ready yet; try again in a moment',
  504: 'the server took too long to answer',
};

/**
 * Calls the API and returns its JSON, or throws an ApiError whose detail is fit to show a person.
 * @param {string} path
 * @param {{ method?: string, body?: unknown, signal?: AbortSignal }} [options]
 */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (memoryKey) headers.Authorization = `Bearer ${memoryKey}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('The server could not be reached. Is `answerkey serve` still running?');
  }
  const type = response.headers.get('content-type') ?? '';
  const isJson = /\bjson\b/i.test(type);
  let payload = null;
  if (isJson) {
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
  }
  if (response.ok) {
    if (payload === null)
      throw new ApiError(`The server sent an answer the page cannot read (HTTP ${response.status}).`);
    return payload;
  }
  const problem = payload && typeof payload === 'object' ? payload : {};
  const detail =
    typeof problem.detail === 'string' && problem.detail.trim()
      ? problem.detail
      : `HTTP ${response.status}: ${STATUS_TEXT[response.status] ?? 'the request failed'}.`;
  throw new ApiError(detail, {
    status: response.status,
    requestId:
      typeof problem.requestId === 'string' ? problem.requestId : (response.headers.get('x-request-id') ?? undefined),
    errors: Array.isArray(problem.errors) ? problem.errors : [],
  });
}
