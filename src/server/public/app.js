// @ts-check
// The interviewer's second-opinion page: choose or type a question, paste the answer, grade, read why.
// Every piece of data is inserted as text (textContent / createTextNode), never as HTML.

import { api, ApiError, storedKey, storeKey } from './api.js';
import { segmentAnswer } from './highlight.js';
import { renderReview } from './review.js';
/**
 * @import { ApiOptions, Grade, GradedExample, GradeExample, GradeFlag, GradeRequestBody, GradeUsage } from './api.js'
 * @import { LookupMatch, LookupResponse, QuestionList, QuestionSummary, Rubric } from './api.js'
 */
/** @import { Attributes, Child } from './review.js' */
/** @typedef {{ kind: 'bank' | 'own' | 'adhoc' }} GradeContext What the grade was graded against, as the page asked */
/** @typedef {ReturnType<typeof segmentAnswer>} Placement Where each key point's evidence sits in the answer */

const MAX_ANSWER = 20_000;
const PALETTE_SIZE = 8;
const LOOKUP_DELAY_MS = 350;
/**
 * Bank questions the search asks the lookup for; one is listed by meaning when it is alike at least
 * this much (0–1) and at least half as alike as the nearest, so one strong match does not bring noise.
 */
const SEARCH_LIMIT = 5;
const SEARCH_FLOOR = 0.05;
const SEARCH_SHARE_OF_BEST = 0.5;

/** @type {Record<string, [string, string]>} */
const FLAG_TEXT = {
  empty: ['Empty answer', 'The answer is empty or says nothing about the question.'],
  too_short: ['Too short', 'The answer is too short to show understanding, so the grade is less certain.'],
  off_topic: ['Off topic', 'The answer fits another bank question far better than this one; its score is capped.'],
  parroting: ['Parroting', 'The answer mostly restates the question, which earns no credit; its score is capped.'],
  keyword_list: [
    'Keyword list',
    'The answer lists the reference’s keywords without sentences that use them; its score is capped.',
  ],
  injection_suspected: [
    'Possible prompt injection',
    'Part of the answer speaks to the grader (for example “award 5/5”). That part was ignored when scoring.',
  ],
  needs_review: ['Needs review', 'A person should check this grade before relying on it.'],
  llm_unavailable: ['LLM unavailable', 'The LLM scorer could not be reached, so the local scorer graded the answer.'],
  contradicts_reference: [
    'Wrong claims',
    'The answer states things the reference contradicts (listed under “Wrong claims”); each costs points.',
  ],
  copies_reference: [
    'Copies the reference',
    'Most of the answer is the reference answer’s own text; in a take-home that may mean a leaked answer key.',
  ],
};

/** @type {Record<string, string>} */
const CLAIM_KIND = {
  listed: 'Known mistake',
  swapped_roles: 'Swapped roles',
  opposite: 'States the opposite',
  dismissal: 'Dismisses the point',
};

/** @type {Record<string, { icon: string, label: string }>} */
const STATUS = {
  covered: { icon: '✓', label: 'Covered' },
  partial: { icon: '◐', label: 'Partly covered' },
  missing: { icon: '✗', label: 'Missing' },
};

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const elements = {
  auth: $('auth'),
  authForm: /** @type {HTMLFormElement} */ ($('auth-form')),
  apiKey: /** @type {HTMLInputElement} */ ($('api-key')),
  authError: $('auth-error'),
  keyStatus: $('key-status'),
  forgetKey: $('forget-key'),
  form: /** @type {HTMLFormElement} */ ($('grade-form')),
  sourceBank: /** @type {HTMLInputElement} */ ($('source-bank')),
  sourceOwn: /** @type {HTMLInputElement} */ ($('source-own')),
  bankPane: $('bank-pane'),
  ownPane: $('own-pane'),
  filter: /** @type {HTMLInputElement} */ ($('question-filter')),
  select: /** @type {HTMLSelectElement} */ ($('question-select')),
  filterStatus: $('filter-status'),
  preview: $('question-preview'),
  ownQuestion: /** @type {HTMLTextAreaElement} */ ($('own-question')),
  lookupStatus: $('lookup-status'),
  lookup: $('lookup'),
  useMatch: /** @type {HTMLButtonElement} */ ($('use-match')),
  nearMisses: $('near-misses'),
  reference: /** @type {HTMLTextAreaElement} */ ($('reference-answer')),
  answer: /** @type {HTMLTextAreaElement} */ ($('answer')),
  answerCount: $('answer-count'),
  formError: $('form-error'),
  gradeButton: /** @type {HTMLButtonElement} */ ($('grade-button')),
  shortcutHint: $('shortcut-hint'),
  result: $('result'),
  resultStatus: $('result-status'),
  rubric: $('rubric'),
  rubricBody: $('rubric-body'),
};

const state = {
  /** @type {QuestionSummary[]} */
  questions: [],
  /** @type {string | null} */
  selectedId: null,
  /** @type {Map<string, Promise<Rubric>>} */
  rubrics: new Map(),
  /** @type {LookupResponse | null} */
  lookup: null,
  lookupSequence: 0,
  /**
   * The bank search's lookup, for the query it was made for.
   * @type {{ query: string, matches: LookupMatch[] } | null}
   */
  search: null,
  searchSequence: 0,
  rubricSequence: 0,
  grading: false,
  graded: false,
};

// ---------------------------------------------------------------- small DOM helpers

/**
 * Creates an element; string children become text nodes, so data never turns into markup.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes} [attributes]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** @type {(value: number, digits: number) => string} */
const formatNumber = (value, digits) =>
  Number.isInteger(value) && digits === 0 ? String(value) : value.toFixed(digits);
/** @param {number} value */
const formatMax = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
/** @param {number} index */
const kpColour = (index) => `kp-c${index % PALETTE_SIZE}`;

/**
 * @param {HTMLElement} target
 * @param {unknown} error
 */
function showError(target, error) {
  target.replaceChildren();
  if (!error) return;
  const detail = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
  target.append(
    h('span', { class: 'alert-icon', 'aria-hidden': 'true' }, '!'),
    h('span', { class: 'alert-text' }, detail),
  );
  if (error instanceof ApiError && error.requestId) {
    target.append(h('span', { class: 'alert-meta' }, `Request id ${error.requestId}`));
  }
}

// ---------------------------------------------------------------- API key

/** @param {string} detail */
function showAuth(detail) {
  elements.auth.hidden = false;
  elements.keyStatus.hidden = true;
  showError(elements.authError, storedKey() ? new ApiError(detail || 'The API key was not accepted.') : null);
  elements.apiKey.focus();
}

function hideAuth() {
  elements.auth.hidden = true;
  showError(elements.authError, null);
  elements.keyStatus.hidden = !storedKey();
}

elements.authForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = elements.apiKey.value.trim();
  if (!key) {
    showError(elements.authError, new ApiError('Paste the API key first.'));
    elements.apiKey.focus();
    return;
  }
  storeKey(key);
  elements.apiKey.value = '';
  await loadQuestions();
});

elements.forgetKey.addEventListener('click', () => {
  storeKey('');
  elements.keyStatus.hidden = true;
  loadQuestions();
});

/** Every call goes through here: a 401 brings up the key field wherever it happened. */
/**
 * @param {string} path
 * @param {ApiOptions} [options]
 */
async function call(path, options) {
  try {
    return await api(path, options);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showAuth(error.detail);
    throw error;
  }
}

// ---------------------------------------------------------------- the bank: list, filter, select

async function loadQuestions() {
  elements.filterStatus.textContent = 'Loading the question bank…';
  try {
    const { questions } = /** @type {QuestionList} */ (await call('/v1/questions'));
    state.questions = questions;
    hideAuth();
    renderOptions();
    if (state.selectedId) showSelected();
  } catch (error) {
    elements.filterStatus.textContent =
      error instanceof ApiError && error.status === 401
        ? 'The question bank needs an API key (above).'
        : `The question bank could not be loaded: ${error instanceof ApiError ? error.detail : String(error)}`;
  }
}

/**
 * @param {QuestionSummary} question
 * @param {string[]} terms
 */
function matchesFilter(question, terms) {
  const haystack = `${question.id} ${question.section} ${question.question}`.toLowerCase();
  return terms.every((term) => haystack.includes(term));
}

/**
 * The bank questions the search box finds: an exact id first, then the ones the lookup finds by
 * meaning (as `answerkey lookup` does: short forms, typos, other words), best first, then the ones
 * holding every word typed.
 */
function filteredQuestions() {
  const query = elements.filter.value.trim().toLowerCase();
  if (!query) return state.questions;
  const terms = query.split(/\s+/);
  const byId = new Map(state.questions.map((question) => [question.id, question]));
  /** @type {Map<string, QuestionSummary>} */
  const found = new Map();
  const exact = byId.get(state.questions.find((question) => question.id.toLowerCase() === query)?.id ?? '');
  if (exact) found.set(exact.id, exact);
  if (state.search && state.search.query === query) {
    const floor = Math.max(SEARCH_FLOOR, (state.search.matches[0]?.similarity ?? 0) * SEARCH_SHARE_OF_BEST);
    for (const match of state.search.matches) {
      const question = byId.get(match.questionId);
      if (question && match.similarity >= floor) found.set(question.id, question);
    }
  }
  for (const question of state.questions) if (matchesFilter(question, terms)) found.set(question.id, question);
  return [...found.values()];
}

let searchTimer = 0;
/** Asks the lookup for the bank questions nearest in meaning to what is typed in the search box. */
async function runSearch() {
  const query = elements.filter.value.trim().toLowerCase();
  const sequence = ++state.searchSequence;
  if (
    query.length < 3 ||
    query.length > 2000 ||
    state.questions.some((question) => question.id.toLowerCase() === query)
  )
    return;
  try {
    const { matches } = /** @type {LookupResponse} */ (
      await call(`/v1/lookup?q=${encodeURIComponent(query)}&limit=${SEARCH_LIMIT}`)
    );
    if (sequence !== state.searchSequence) return;
    state.search = { query, matches };
    renderOptions();
  } catch {
    // The search by words still stands; a failed lookup only loses the matches by meaning.
  }
}

function renderOptions() {
  const list = filteredQuestions();
  /** @type {Map<string, QuestionSummary[]>} */
  const groups = new Map();
  for (const question of list) {
    if (!groups.has(question.section)) groups.set(question.section, []);
    groups.get(question.section)?.push(question);
  }
  const fragment = document.createDocumentFragment();
  for (const [section, questions] of groups) {
    const group = h('optgroup', { label: section });
    for (const question of questions) {
      group.append(
        h('option', { value: question.id, title: question.question }, `${question.id} · ${question.question}`),
      );
    }
    fragment.append(group);
  }
  elements.select.replaceChildren(fragment);
  // As tall as the matches need (a section heading counts as a row), between 3 and 8 rows.
  elements.select.size = Math.max(3, Math.min(8, list.length + groups.size));

  const query = elements.filter.value.trim();
  const selectedShown = state.selectedId !== null && list.some((question) => question.id === state.selectedId);
  // Filtering moves the choice to the first match when the chosen question drops out of the list.
  if (!selectedShown && query && list.length > 0) selectQuestion(list[0].id);
  else elements.select.value = state.selectedId ?? '';
  renderFilterStatus(list.length, query);
}

function renderFilterStatus(count = filteredQuestions().length, query = elements.filter.value.trim()) {
  const total = state.questions.length;
  const selected = state.selectedId ? ` · ${state.selectedId} selected` : '';
  elements.filterStatus.textContent = query
    ? `${count} of ${total} questions match “${query}”${selected}`
    : `${total} questions${selected}`;
}

/** @param {string | null} id */
function selectQuestion(id) {
  state.selectedId = id;
  elements.select.value = id ?? '';
  showSelected();
  markStale();
}

function showSelected() {
  const question = state.questions.find((entry) => entry.id === state.selectedId);
  elements.preview.hidden = !question;
  elements.preview.replaceChildren();
  if (question) {
    elements.preview.append(
      h(
        'span',
        { class: 'preview-meta' },
        `${question.id} · ${question.section} · max ${formatMax(question.maxScore)} · ${question.keyPointCount} key points`,
      ),
      h('span', { class: 'preview-text' }, question.question),
    );
  }
  refreshReference();
}

elements.filter.addEventListener('input', () => {
  renderOptions();
  window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(runSearch, LOOKUP_DELAY_MS);
});
elements.filter.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowDown' || (event.key === 'Enter' && !event.ctrlKey && !event.metaKey)) {
    event.preventDefault();
    if (!state.selectedId && elements.select.options.length > 0) selectQuestion(elements.select.options[0].value);
    elements.select.focus();
  }
});
elements.select.addEventListener('change', () => {
  selectQuestion(elements.select.value || null);
  renderFilterStatus();
});

// ---------------------------------------------------------------- own question: lookup in the bank

function currentSource() {
  return elements.sourceOwn.checked ? 'own' : 'bank';
}

function applySource() {
  const own = currentSource() === 'own';
  elements.bankPane.hidden = own;
  elements.ownPane.hidden = !own;
  refreshReference();
  markStale();
}

elements.sourceBank.addEventListener('change', applySource);
elements.sourceOwn.addEventListener('change', applySource);

let lookupTimer = 0;
elements.ownQuestion.addEventListener('input', () => {
  clearInvalid(elements.ownQuestion);
  window.clearTimeout(lookupTimer);
  lookupTimer = window.setTimeout(runLookup, LOOKUP_DELAY_MS);
  markStale();
});
elements.reference.addEventListener('input', () => {
  clearInvalid(elements.reference);
  renderLookup();
  refreshReference();
  markStale();
});

async function runLookup() {
  const text = elements.ownQuestion.value.trim();
  const sequence = ++state.lookupSequence;
  if (text.length < 3) {
    state.lookup = null;
    renderLookup();
    refreshReference();
    return;
  }
  elements.lookupStatus.textContent = 'Looking for it in the bank…';
  try {
    const result = /** @type {LookupResponse} */ (await call(`/v1/lookup?q=${encodeURIComponent(text)}`));
    if (sequence !== state.lookupSequence) return;
    state.lookup = result;
  } catch (error) {
    if (sequence !== state.lookupSequence) return;
    state.lookup = null;
    elements.lookupStatus.textContent = `The bank could not be searched: ${error instanceof ApiError ? error.detail : String(error)}`;
    elements.useMatch.hidden = true;
    return;
  }
  renderLookup();
  refreshReference();
}

function renderLookup() {
  const lookup = state.lookup;
  const adHoc = elements.reference.value.trim() !== '';
  elements.useMatch.hidden = true;
  elements.nearMisses.hidden = true;
  elements.nearMisses.replaceChildren();
  elements.lookup.classList.remove('lookup-matched', 'lookup-unmatched');
  if (elements.ownQuestion.value.trim().length < 3) {
    elements.lookupStatus.textContent = 'The page looks for the matching bank question as you type.';
    return;
  }
  if (!lookup) return;
  const best = lookup.matches[0];
  if (lookup.matched && best) {
    elements.lookup.classList.add('lookup-matched');
    elements.lookupStatus.replaceChildren(
      h(
        'span',
        { class: 'lookup-verdict' },
        h('span', { 'aria-hidden': 'true' }, '✓ '),
        `Matched ${lookup.matched} (${best.similarity.toFixed(2)})`,
      ),
      ' ',
      h('span', { class: 'lookup-question' }, `“${best.question}”`),
      ' ',
      h(
        'span',
        { class: 'lookup-note' },
        adHoc
          ? 'You gave a reference answer, so the answer is graded ad hoc against it instead.'
          : `Without a reference answer, the answer is graded against ${lookup.matched}.`,
      ),
    );
    elements.useMatch.textContent = `Choose ${lookup.matched} from the bank`;
    elements.useMatch.hidden = false;
  } else {
    elements.lookup.classList.add('lookup-unmatched');
    const nearest = best
      ? ` (nearest: ${best.questionId} at ${best.similarity.toFixed(2)}, below ${lookup.threshold.toFixed(2)})`
      : '';
    elements.lookupStatus.replaceChildren(
      h(
        'span',
        { class: 'lookup-verdict' },
        h('span', { 'aria-hidden': 'true' }, '○ '),
        `No match in the bank${nearest}.`,
      ),
      ' ',
      h(
        'span',
        { class: 'lookup-note' },
        adHoc
          ? 'The answer is graded ad hoc against your reference answer.'
          : lookup.matches.length > 0
            ? 'Did you mean one of these? Choose it, or add a reference answer to grade ad hoc.'
            : 'Add a reference answer to grade ad hoc.',
      ),
    );
    // The near misses are choices: one press takes the bank question it names.
    for (const match of lookup.matches) {
      const button = h(
        'button',
        {
          type: 'button',
          class: 'button button-small near-miss',
          'data-question-id': match.questionId,
          title: match.question,
        },
        h('span', { class: 'near-miss-id' }, `Use ${match.questionId}`),
        h('span', { class: 'near-miss-similarity' }, match.similarity.toFixed(2)),
        h('span', { class: 'near-miss-question' }, match.question),
      );
      button.addEventListener('click', () => chooseFromBank(match.questionId));
      elements.nearMisses.append(button);
    }
    elements.nearMisses.hidden = lookup.matches.length === 0;
  }
}

/**
 * Switches to "From the bank" with this question chosen.
 * @param {string} id
 */
function chooseFromBank(id) {
  elements.sourceBank.checked = true;
  elements.filter.value = '';
  state.selectedId = id;
  renderOptions();
  applySource();
  showSelected();
  elements.select.focus();
}

elements.useMatch.addEventListener('click', () => {
  const id = state.lookup?.matched;
  if (id) chooseFromBank(id);
});

// ---------------------------------------------------------------- the reference (rubric) column

/** @param {string} id */
function rubricFor(id) {
  let request = state.rubrics.get(id);
  if (!request) {
    request = /** @type {Promise<Rubric>} */ (call(`/v1/questions/${encodeURIComponent(id)}`));
    request.catch(() => state.rubrics.delete(id));
    state.rubrics.set(id, request);
  }
  return request;
}

/** Shows what the answer will be graded against: the chosen or matched bank entry, or the inline reference. */
async function refreshReference() {
  const sequence = ++state.rubricSequence;
  /** @type {string | null} */
  let id = null;
  if (currentSource() === 'bank') id = state.selectedId;
  else if (elements.reference.value.trim()) {
    renderAdHocReference();
    return;
  } else id = state.lookup?.matched ?? null;

  if (!id) {
    elements.rubric.hidden = true;
    return;
  }
  try {
    const rubric = await rubricFor(id);
    if (sequence !== state.rubricSequence) return;
    renderRubric(rubric);
  } catch (error) {
    if (sequence !== state.rubricSequence) return;
    elements.rubric.hidden = false;
    elements.rubricBody.replaceChildren(
      h(
        'p',
        { class: 'hint' },
        `The rubric of ${id} could not be loaded: ${error instanceof ApiError ? error.detail : String(error)}`,
      ),
    );
  }
}

/** @param {Rubric} rubric */
function renderRubric(rubric) {
  const points = h('ol', { class: 'rubric-points' });
  rubric.keyPoints.forEach((point) => {
    const item = h(
      'li',
      {},
      h('span', { class: 'rubric-point-text' }, point.text),
      h('span', { class: 'weight' }, `weight ${point.weight}`),
    );
    if (point.alternatives?.length) {
      item.append(
        h(
          'details',
          { class: 'alternatives' },
          h('summary', {}, `Also accepted (${point.alternatives.length})`),
          h('ul', {}, ...point.alternatives.map((alternative) => h('li', {}, alternative))),
        ),
      );
    }
    points.append(item);
  });
  elements.rubricBody.replaceChildren(
    h('p', { class: 'rubric-meta' }, `${rubric.id} · ${rubric.section} · max score ${formatMax(rubric.maxScore)}`),
    h('p', { class: 'rubric-question' }, rubric.question),
    h('h3', { class: 'subheading' }, 'Reference answer'),
    h('p', { class: 'reference-text' }, rubric.referenceAnswer),
    h('h3', { class: 'subheading' }, `Rubric key points (${rubric.keyPoints.length})`),
    points,
  );
  elements.rubric.hidden = false;
}

function renderAdHocReference() {
  const question = elements.ownQuestion.value.trim();
  elements.rubricBody.replaceChildren(
    h('p', { class: 'rubric-meta' }, 'Ad hoc · your own question and reference answer'),
    question ? h('p', { class: 'rubric-question' }, question) : '',
    h('h3', { class: 'subheading' }, 'Reference answer'),
    h('p', { class: 'reference-text' }, elements.reference.value.trim()),
    h('p', { class: 'hint' }, 'Key points are derived from this reference when the answer is graded.'),
  );
  elements.rubric.hidden = false;
}

// ---------------------------------------------------------------- the answer field

function updateCount() {
  const length = elements.answer.value.length;
  const over = length > MAX_ANSWER;
  elements.answerCount.textContent = `${length.toLocaleString('en-US')} / ${MAX_ANSWER.toLocaleString('en-US')} characters${over ? ' (too long to grade)' : ''}`;
  elements.answerCount.classList.toggle('counter-over', over);
}

elements.answer.addEventListener('input', () => {
  clearInvalid(elements.answer);
  updateCount();
  markStale();
});

/** @param {HTMLElement} field */
function clearInvalid(field) {
  field.removeAttribute('aria-invalid');
}

/** @param {HTMLElement} field */
function markInvalid(field) {
  field.setAttribute('aria-invalid', 'true');
}

/** @type {Record<string, () => HTMLElement>} */
const FIELD_OF_PATH = {
  answer: () => elements.answer,
  question: () => elements.ownQuestion,
  referenceAnswer: () => elements.reference,
  questionId: () => (currentSource() === 'bank' ? elements.select : elements.ownQuestion),
};

// ---------------------------------------------------------------- grading

/**
 * The grade request the form holds, or what is wrong with it and the field to fix.
 * @returns {{ problem: string, field: HTMLElement } | { problem?: undefined, body: GradeRequestBody, context: GradeContext }}
 */
function buildRequest() {
  const answer = elements.answer.value;
  if (!answer.trim())
    return { problem: 'Paste the candidate’s answer first: there is nothing to grade yet.', field: elements.answer };
  if (answer.length > MAX_ANSWER) {
    return {
      problem: `The answer is ${answer.length.toLocaleString('en-US')} characters; the server grades at most ${MAX_ANSWER.toLocaleString('en-US')}.`,
      field: elements.answer,
    };
  }
  if (currentSource() === 'bank') {
    if (!state.selectedId)
      return { problem: 'Choose a question from the bank, or switch to “My own question”.', field: elements.filter };
    return { body: { answer, questionId: state.selectedId }, context: { kind: 'bank' } };
  }
  const question = elements.ownQuestion.value.trim();
  if (question.length < 3)
    return {
      problem: 'Type your question (at least 3 characters), or choose one from the bank.',
      field: elements.ownQuestion,
    };
  const referenceAnswer = elements.reference.value.trim();
  return {
    body: referenceAnswer ? { answer, question, referenceAnswer } : { answer, question },
    context: { kind: referenceAnswer ? 'adhoc' : 'own' },
  };
}

/** @param {boolean} busy */
function setBusy(busy) {
  state.grading = busy;
  elements.gradeButton.setAttribute('aria-disabled', String(busy));
  elements.gradeButton.textContent = busy ? 'Grading…' : 'Grade';
  elements.result.setAttribute('aria-busy', String(busy));
}

elements.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (state.grading) return;
  showError(elements.formError, null);
  for (const field of [elements.answer, elements.ownQuestion, elements.reference, elements.select, elements.filter])
    clearInvalid(field);

  const request = buildRequest();
  if (request.problem !== undefined) {
    showError(elements.formError, new ApiError(request.problem));
    markInvalid(request.field);
    request.field.focus();
    return;
  }
  setBusy(true);
  elements.resultStatus.textContent = 'Grading…';
  try {
    const grade = /** @type {Grade} */ (await call('/v1/grade', { method: 'POST', body: request.body }));
    renderGrade(grade, request.body.answer, request.context);
    elements.resultStatus.textContent = `Graded: ${grade.score.toFixed(1)} out of ${formatMax(grade.maxScore)}, ${grade.band}. ${grade.rationale}`;
  } catch (error) {
    elements.resultStatus.textContent = '';
    showError(
      elements.formError,
      error instanceof ApiError ? error : new ApiError(`The grade failed: ${String(error)}`),
    );
    if (error instanceof ApiError) {
      for (const entry of error.errors) {
        const field = FIELD_OF_PATH[entry.path]?.();
        if (field) markInvalid(field);
      }
    }
  } finally {
    setBusy(false);
  }
});

elements.form.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    elements.form.requestSubmit();
  }
});

if (/Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)) {
  elements.shortcutHint.replaceChildren('or ', h('kbd', {}, '⌘'), ' + ', h('kbd', {}, 'Enter'));
}

function markStale() {
  if (!state.graded || elements.result.querySelector('.stale-note')) return;
  elements.result.classList.add('is-stale');
  elements.result.prepend(
    h('p', { class: 'stale-note' }, 'The inputs changed since this grade. Press Grade to update it.'),
  );
}

// ---------------------------------------------------------------- rendering a grade

/** @param {number} confidence */
function confidenceWord(confidence) {
  if (confidence >= 0.8) return 'high';
  if (confidence >= 0.6) return 'moderate';
  return 'low';
}

/**
 * @param {Grade} grade
 * @param {GradeContext} context
 */
function referenceText(grade, context) {
  const { questionId, similarity } = grade.reference;
  if (questionId === null) return 'your reference answer (ad hoc)';
  if (context.kind === 'bank') return `${questionId}, chosen from the bank`;
  return `${questionId}, matched your question at ${similarity.toFixed(2)}`;
}

/** @param {GradeUsage} usage */
function usageText(usage) {
  const tokens = usage.promptTokens + usage.completionTokens;
  const parts = [usage.model, `${tokens.toLocaleString('en-US')} tokens`];
  if (usage.estimatedCostUsd !== null) parts.push(`≈ $${usage.estimatedCostUsd.toFixed(4)}`);
  if (usage.cachedResponses > 0) parts.push(`${usage.cachedResponses} cached`);
  return parts.join(' · ');
}

/**
 * @param {Grade} grade
 * @param {GradeContext} context
 */
function renderScorecard(grade, context) {
  const percent = Math.max(0, Math.min(100, grade.normalizedScore * 100));
  const fill = h('span', { class: 'meter-fill' });
  fill.style.width = `${percent}%`;
  const meter = h(
    'div',
    {
      class: 'meter',
      role: 'meter',
      'aria-label': 'Score',
      'aria-valuemin': 0,
      'aria-valuemax': grade.maxScore,
      'aria-valuenow': grade.score,
      'aria-valuetext': `${grade.score.toFixed(1)} out of ${formatMax(grade.maxScore)}, ${grade.band}`,
    },
    fill,
    ...[25, 45, 65, 85].map((at) => {
      const tick = h('span', { class: 'meter-tick', 'aria-hidden': 'true' });
      tick.style.left = `${at}%`;
      return tick;
    }),
  );
  return h(
    'div',
    { class: `scorecard band-${grade.band}` },
    h(
      'p',
      { class: 'score-line' },
      h('span', { class: 'score', 'data-testid': 'score' }, `${grade.score.toFixed(1)} / ${formatMax(grade.maxScore)}`),
      h('span', { class: 'score-separator', 'aria-hidden': 'true' }, '·'),
      h('span', { class: 'band', 'data-testid': 'band' }, grade.band),
    ),
    meter,
    h(
      'p',
      { class: 'meter-legend', 'aria-hidden': 'true' },
      h('span', {}, 'poor'),
      h('span', {}, 'weak'),
      h('span', {}, 'fair'),
      h('span', {}, 'good'),
      h('span', {}, 'excellent'),
    ),
    h(
      'dl',
      { class: 'facts' },
      h(
        'div',
        {},
        h('dt', {}, 'Confidence'),
        h(
          'dd',
          { 'data-testid': 'confidence' },
          `${grade.confidence.toFixed(2)} · ${confidenceWord(grade.confidence)}`,
        ),
      ),
      h('div', {}, h('dt', {}, 'Graded against'), h('dd', {}, referenceText(grade, context))),
      h(
        'div',
        {},
        h('dt', {}, 'Scorer'),
        h('dd', {}, grade.mode === 'local' ? 'local, offline' : grade.mode === 'llm' ? 'LLM' : grade.mode),
      ),
      grade.samples
        ? h(
            'div',
            {},
            h('dt', {}, 'Samples'),
            h('dd', {}, `median of ${grade.samples.count}, spread ${grade.samples.spread.toFixed(2)}`),
          )
        : null,
      grade.usage ? h('div', {}, h('dt', {}, 'Model'), h('dd', {}, usageText(grade.usage))) : null,
    ),
  );
}

/** @param {GradeFlag[]} flags */
function renderFlags(flags) {
  if (flags.length === 0) return null;
  return h(
    'section',
    { class: 'flags', 'aria-labelledby': 'flags-heading' },
    h('h3', { id: 'flags-heading', class: 'subheading' }, flags.length === 1 ? 'Flag' : `Flags (${flags.length})`),
    h(
      'ul',
      { class: 'flag-list' },
      ...flags.map((flag) => {
        const [title, explanation] = FLAG_TEXT[flag] ?? [flag.replace(/_/g, ' '), 'The grader raised this flag.'];
        return h(
          'li',
          { class: `flag flag-${flag}`, 'data-flag': flag },
          h('span', { class: 'flag-icon', 'aria-hidden': 'true' }, '⚠'),
          h('span', {}, h('strong', {}, `${title}. `), explanation),
        );
      }),
    ),
  );
}

/**
 * The wrong claims the answer states, each with its quote: what an interviewer must not miss.
 * @param {Grade} grade
 */
function renderWrongClaims(grade) {
  const claims = grade.misconceptions ?? [];
  if (claims.length === 0) return null;
  return h(
    'section',
    { class: 'wrong-claims', 'aria-labelledby': 'wrong-claims-heading', 'data-testid': 'wrong-claims' },
    h(
      'h3',
      { id: 'wrong-claims-heading', class: 'subheading' },
      claims.length === 1 ? 'Wrong claim' : `Wrong claims (${claims.length})`,
    ),
    h(
      'ul',
      { class: 'claim-list' },
      ...claims.map((claim) =>
        h(
          'li',
          { class: `claim claim-${claim.kind}`, 'data-claim': claim.id },
          h(
            'p',
            { class: 'claim-text' },
            h('span', { class: 'claim-kind' }, `✗ ${CLAIM_KIND[claim.kind] ?? claim.kind}: `),
            claim.text,
          ),
          h('blockquote', { class: 'evidence' }, `“${claim.evidence}”`),
        ),
      ),
    ),
  );
}

/**
 * @param {Grade} grade
 * @param {Placement} placement
 */
function renderKeyPoints(grade, placement) {
  const counts = { covered: 0, partial: 0, missing: 0 };
  for (const point of grade.keyPoints) counts[point.status] += 1;
  const list = h('ol', { class: 'keypoints' });
  grade.keyPoints.forEach((point, index) => {
    const status = STATUS[point.status] ?? { icon: '?', label: point.status };
    let evidence;
    if (point.evidence) {
      evidence = h('blockquote', { class: 'evidence' }, `“${point.evidence}”`);
      if (!placement.placed.has(index))
        evidence.append(h('span', { class: 'evidence-note' }, ' (not found word for word in the answer)'));
    } else {
      evidence = h('p', { class: 'evidence evidence-none' }, 'Nothing in the answer shows this point.');
    }
    list.append(
      h(
        'li',
        {
          class: `kp kp-${point.status}`,
          'data-kp': index,
          'data-status': point.status,
          tabindex: point.evidence && placement.placed.has(index) ? 0 : undefined,
        },
        h(
          'span',
          {
            class: `kp-number ${placement.placed.has(index) ? kpColour(index) : 'kp-unplaced'}`,
            'aria-hidden': 'true',
          },
          String(index + 1),
        ),
        h(
          'div',
          { class: 'kp-body' },
          h(
            'p',
            { class: 'kp-text' },
            h(
              'span',
              { class: 'kp-status' },
              h('span', { class: 'kp-icon', 'aria-hidden': 'true' }, status.icon),
              ` ${status.label}`,
            ),
            h('span', { class: 'visually-hidden' }, ': '),
            point.text,
          ),
          evidence,
        ),
      ),
    );
  });
  return h(
    'section',
    { class: 'keypoints-section', 'aria-labelledby': 'keypoints-heading' },
    h(
      'h3',
      { id: 'keypoints-heading', class: 'subheading' },
      'Key points ',
      h(
        'span',
        { class: 'subheading-meta' },
        `${counts.covered} covered · ${counts.partial} partly · ${counts.missing} missing`,
      ),
    ),
    list,
  );
}

/**
 * "67%", and "under 1%" for a share that would otherwise read as none.
 * @param {number} weight
 */
function formatShare(weight) {
  const percent = Math.round(weight * 100);
  return percent === 0 && weight > 0 ? 'under 1%' : `${percent}%`;
}

/**
 * A stored example by id, or null when it has been removed since; asked for only when someone opens it.
 * @param {string} id
 * @returns {Promise<GradedExample | null>}
 */
async function loadExample(id) {
  try {
    return /** @type {GradedExample} */ (await call(`/v1/examples/${encodeURIComponent(id)}`));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * @param {HTMLElement} body
 * @param {string} id
 */
async function showExampleAnswer(body, id) {
  try {
    const stored = await loadExample(id);
    if (!stored) {
      body.replaceChildren(h('p', { class: 'hint' }, 'This example has been removed since the grade.'));
    } else {
      body.replaceChildren(
        h('p', { class: 'example-answer', 'data-testid': 'example-answer' }, stored.answer),
        stored.note
          ? h('p', { class: 'example-note' }, h('span', { class: 'example-note-label' }, 'Note: '), stored.note)
          : '',
      );
    }
    body.dataset.loaded = 'true';
  } catch (error) {
    body.replaceChildren(
      h(
        'p',
        { class: 'hint' },
        `The answer could not be loaded: ${error instanceof ApiError ? error.detail : String(error)}`,
      ),
    );
  }
}

/**
 * @param {GradeExample} example
 * @param {number} maxScore
 */
function renderExample(example, maxScore) {
  const fill = h('span', { class: 'share-fill' });
  fill.style.width = `${Math.max(0, Math.min(100, example.weight * 100))}%`;
  const bar = h('span', { class: 'share-bar', 'aria-hidden': 'true' }, fill);
  const body = h('div', { class: 'example-body' }, h('p', { class: 'hint' }, 'Loading the answer…'));
  const details = h(
    'details',
    { class: 'example' },
    h(
      'summary',
      {},
      h('span', { class: 'example-id' }, example.id),
      h('span', { class: 'visually-hidden' }, ', '),
      h('span', { class: 'example-score' }, `graded ${example.score.toFixed(1)} / ${formatMax(maxScore)}`),
      h('span', { class: 'visually-hidden' }, ', '),
      h('span', { class: 'example-share' }, bar, `${formatShare(example.weight)} of the score`),
    ),
    body,
  );
  details.addEventListener('toggle', () => {
    if (details.open && !body.dataset.loaded) showExampleAnswer(body, example.id);
  });
  return h('li', { 'data-example-id': example.id }, details);
}

/**
 * The interviewer's graded answers that moved this grade, nearest first; nothing when none did.
 * @param {Grade} grade
 */
function renderExamples(grade) {
  if (!grade.examples?.length) return null;
  return h(
    'section',
    { class: 'examples-section', 'aria-labelledby': 'examples-heading' },
    h(
      'h3',
      { id: 'examples-heading', class: 'subheading' },
      'Graded examples that weighed in ',
      h('span', { class: 'subheading-meta' }, 'nearest first'),
    ),
    h(
      'ol',
      { class: 'example-list', 'aria-labelledby': 'examples-heading' },
      ...grade.examples.map((example) => renderExample(example, grade.maxScore)),
    ),
    h('p', { class: 'hint' }, 'Open an example to read its answer and the note it was graded with.'),
  );
}

/**
 * @param {Grade} grade
 * @param {string} answer
 * @param {Placement} placement
 */
function renderHighlightedAnswer(grade, answer, placement) {
  const view = h('div', { class: 'answer-view', 'data-testid': 'highlighted-answer' });
  for (const segment of placement.segments) {
    if (segment.keyPoints.length === 0) {
      view.append(document.createTextNode(segment.text));
      continue;
    }
    const [inner, outer] = segment.keyPoints;
    const classes = ['evidence-mark', kpColour(inner)];
    if (outer !== undefined) classes.push('overlap', `under-${kpColour(outer)}`);
    const mark = h(
      'mark',
      {
        class: classes.join(' '),
        'data-kps': segment.keyPoints.join(' '),
        'data-label': segment.starts.length ? segment.starts.map((index) => index + 1).join('·') : undefined,
        title: segment.keyPoints.map((index) => `Key point ${index + 1}: ${grade.keyPoints[index].text}`).join('\n'),
      },
      segment.text,
    );
    view.append(mark);
  }
  const note =
    placement.placed.size === 0
      ? 'No evidence to highlight.'
      : 'Highlights show the words quoted as evidence; the number is the key point. Hover or focus a key point to find its words.';
  return h(
    'section',
    { class: 'answer-section', 'aria-labelledby': 'answer-view-heading' },
    h('h3', { id: 'answer-view-heading', class: 'subheading' }, 'Candidate’s answer, with evidence'),
    view,
    h('p', { class: 'hint' }, note),
  );
}

/**
 * @param {Grade} grade
 * @param {string} answer
 * @param {GradeContext} context
 */
function renderGrade(grade, answer, context) {
  const placement = segmentAnswer(answer, grade.keyPoints);
  const article = h(
    'article',
    { class: 'grade', 'aria-label': 'Grade' },
    renderScorecard(grade, context),
    renderFlags(grade.flags),
    h(
      'section',
      { class: 'rationale', 'aria-labelledby': 'rationale-heading' },
      h('h3', { id: 'rationale-heading', class: 'subheading' }, 'Rationale'),
      h('p', { 'data-testid': 'rationale' }, grade.rationale),
    ),
    renderWrongClaims(grade),
    renderKeyPoints(grade, placement),
    renderExamples(grade),
    renderHighlightedAnswer(grade, answer, placement),
    renderReview({ grade, answer, call, h, showError }),
  );
  elements.result.classList.remove('is-stale');
  elements.result.replaceChildren(article);
  state.graded = true;
  wireHighlighting(article);
}

/**
 * Hovering or focusing a key point lights up its words in the answer, and the other way round.
 * @param {HTMLElement} root
 */
function wireHighlighting(root) {
  const marks = /** @type {HTMLElement[]} */ ([...root.querySelectorAll('mark[data-kps]')]);
  const items = /** @type {HTMLElement[]} */ ([...root.querySelectorAll('li.kp')]);
  const answerView = root.querySelector('.answer-view');
  /** @param {number | null} index */
  const activate = (index) => {
    answerView?.classList.toggle('has-active', index !== null);
    for (const mark of marks) {
      const active = index !== null && (mark.dataset.kps ?? '').split(' ').includes(String(index));
      mark.classList.toggle('is-active', active);
      for (let colour = 0; colour < PALETTE_SIZE; colour += 1) mark.classList.remove(`active-kp-c${colour}`);
      if (active) mark.classList.add(`active-${kpColour(index)}`);
    }
    for (const item of items) item.classList.toggle('is-active', index !== null && item.dataset.kp === String(index));
  };
  for (const item of items) {
    const index = Number(item.dataset.kp);
    item.addEventListener('mouseenter', () => activate(index));
    item.addEventListener('mouseleave', () => activate(null));
    item.addEventListener('focus', () => activate(index));
    item.addEventListener('blur', () => activate(null));
    item.addEventListener('click', () => {
      const first = marks.find((mark) => (mark.dataset.kps ?? '').split(' ').includes(String(index)));
      first?.scrollIntoView({
        block: 'nearest',
        behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth',
      });
    });
  }
  for (const mark of marks) {
    const index = Number((mark.dataset.kps ?? '').split(' ')[0]);
    mark.addEventListener('mouseenter', () => activate(index));
    mark.addEventListener('mouseleave', () => activate(null));
  }
}

// ---------------------------------------------------------------- start

updateCount();
elements.keyStatus.hidden = !storedKey();
loadQuestions();
