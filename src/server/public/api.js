// @ts-check
// The page's only door to the server: JSON in and out, an optional API key, errors as one readable sentence.

// The JSON the page reads, as src/server/api-schemas.ts and src/grading/grade-schema.ts define it
// (written out again here: the browser loads these files as they are, with no build step).

/**
 * @typedef {{ id: string, section: string, question: string, maxScore: number, keyPointCount: number }} QuestionSummary
 * @typedef {{ questions: QuestionSummary[] }} QuestionList
 * @typedef {{ id: string, text: string, weight: number, alternatives: string[] }} RubricKeyPoint
 * @typedef {{ id: string, section: string, question: string, referenceAnswer: string, maxScore: number,
 *   keyPoints: RubricKeyPoint[] }} Rubric GET /v1/questions/{id} (the rubric; the fields the page shows)
 * @typedef {{ questionId: string, similarity: number, question: string }} LookupMatch
 * @typedef {{ matched: string | null, threshold: number, matches: LookupMatch[] }} LookupResponse
 *
 * @typedef {'covered' | 'partial' | 'missing'} KeyPointStatus
 * @typedef {{ id: string, text: string, status: KeyPointStatus, evidence: string | null }} KeyPointResult
 * @typedef {'listed' | 'swapped_roles' | 'opposite' | 'dismissal'} MisconceptionKind
 * @typedef {{ id: string, text: string, kind: MisconceptionKind, keyPointId: string | null,
 *   evidence: string }} MisconceptionResult
 * @typedef {'empty' | 'off_topic' | 'parroting' | 'keyword_list' | 'injection_suspected' | 'too_short' | 'needs_review'
 *   | 'llm_unavailable' | 'contradicts_reference' | 'copies_reference'} GradeFlag
 * @typedef {'excellent' | 'good' | 'fair' | 'weak' | 'poor'} Band
 * @typedef {{ model: string, promptTokens: number, completionTokens: number, estimatedCostUsd: number | null,
 *   cachedResponses: number }} GradeUsage
 * @typedef {{ count: number, scores: number[], spread: number }} GradeSamples
 * @typedef {{ id: string, score: number, weight: number }} GradeExample A graded example's share in a grade
 * @typedef {{
 *   id?: string,
 *   questionId: string | null,
 *   score: number,
 *   maxScore: number,
 *   normalizedScore: number,
 *   band: Band,
 *   rationale: string,
 *   keyPoints: KeyPointResult[],
 *   confidence: number,
 *   mode: 'local' | 'llm',
 *   reference: { questionId: string | null, similarity: number },
 *   flags: GradeFlag[],
 *   misconceptions: MisconceptionResult[],
 *   usage?: GradeUsage,
 *   samples?: GradeSamples,
 *   examples?: GradeExample[],
 * }} Grade POST /v1/grade
 * @typedef {{ answer: string, questionId?: string, question?: string, referenceAnswer?: string }} GradeRequestBody
 *   What the page sends to POST /v1/grade
 *
 * @typedef {{ id: string, questionId: string, answer: string, score: number, maxScore: number,
 *   note?: string }} GradedExample
 *   GET /v1/examples/{id}
 * @typedef {{ id: string, gradeId: string, questionId: string, at: string, who: string, accepted: boolean,
 *   maxScore: number, graderScore: number, reviewerScore: number, exampleId: string }} ReviewRecord
 * @typedef {{ review: ReviewRecord, example: GradedExample, before: Grade, after: Grade,
 *   warning?: string }} ReviewCreated
 *   POST /v1/grades/{id}/review
 *
 * @typedef {{ path: string, message: string }} FieldProblem One entry of a problem's `errors`
 * @typedef {{ method?: string, body?: unknown, signal?: AbortSignal }} ApiOptions
 */

const KEY_STORAGE = 'answerkey.apiKey';

/** An error the page can show as it is: `detail` comes from the server's problem+json, or is written here. */
export class ApiError extends Error {
  /**
   * @param {string} detail
   * @param {{ status?: number, requestId?: string, errors?: FieldProblem[] }} [extra]
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

/** @param {string} key */
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

/** @type {Record<number, string>} */
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
 * The caller says what the JSON is (a JSDoc cast of the awaited value): the page trusts the server's shapes.
 * @param {string} path
 * @param {ApiOptions} [options]
 * @returns {Promise<unknown>}
 */
export async function api(path, { method = 'GET', body, signal } = {}) {
  /** @type {Record<string, string>} */
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
