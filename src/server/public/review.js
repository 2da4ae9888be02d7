// @ts-check
// The interviewer's verdict on a grade: accept it, or set their own score and key-point statuses
// with a note. Saved through POST /v1/grades/{id}/review as a graded example of the question and a
// line of the review log; the answer shows how the grader's next grade of the same answer moves.

/** @import { ApiOptions, Grade, ReviewCreated } from './api.js' */
/**
 * @typedef {Record<string, string | number | boolean | undefined | null>} Attributes
 * @typedef {Node | string | null | undefined | false} Child
 * @typedef {<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Child[]) =>
 *   HTMLElementTagNameMap[K]} ElementMaker The page's h(): an element with attributes and text or element children
 */

const STATUS_LABEL = { covered: 'Covered', partial: 'Partly covered', missing: 'Missing' };

/** @param {number} maxScore */
const scale = (maxScore) => (Number.isInteger(maxScore) ? String(maxScore) : maxScore.toFixed(1));
/** A score as the interviewer gave it (up to two decimals). @type {(score: number, maxScore: number) => string} */
const points = (score, maxScore) => `${Number(score.toFixed(2))} / ${scale(maxScore)}`;
/** A grader's score as the scorecard shows it, to one decimal. @type {(score: number, maxScore: number) => string} */
const graded = (score, maxScore) => `${score.toFixed(1)} / ${scale(maxScore)}`;

/**
 * The "Your verdict" section for a grade of a bank question (null for any other grade).
 * @param {{
 *   grade: Grade,
 *   answer: string,
 *   call: (path: string, options?: ApiOptions) => Promise<unknown>,
 *   h: ElementMaker,
 *   showError: (target: HTMLElement, error: unknown) => void,
 * }} options
 */
export function renderReview({ grade, answer, call, h, showError }) {
  if (!grade.id || !grade.questionId) return null;
  const gradeId = grade.id;
  const scoreInput = h('input', {
    id: 'review-score',
    type: 'number',
    min: 0,
    max: grade.maxScore,
    step: 'any',
    value: String(grade.score),
    inputmode: 'decimal',
    'aria-describedby': 'review-score-hint',
  });
  const selects = grade.keyPoints.map((point, index) => {
    const select = h(
      'select',
      { id: `review-kp-${index}`, 'data-kp-id': point.id, 'data-grader': point.status },
      ...Object.entries(STATUS_LABEL).map(([value, label]) =>
        h('option', { value, selected: value === point.status }, label),
      ),
    );
    return { point, index, select };
  });
  const note = h('textarea', {
    id: 'review-note',
    rows: 2,
    spellcheck: 'true',
    placeholder: 'Why, in a line: kept with the example and in the review log',
  });
  const error = h('p', { id: 'review-error', class: 'alert', role: 'alert' });
  const outcome = h('p', { id: 'review-outcome', class: 'review-outcome', role: 'status', 'aria-live': 'polite' });
  const accept = h('button', { type: 'button', id: 'review-accept', class: 'button' }, 'Accept the grade');
  const save = h('button', { type: 'submit', id: 'review-save', class: 'button button-primary' }, 'Save my verdict');

  const form = h(
    'form',
    { class: 'review-form', novalidate: true },
    h(
      'div',
      { class: 'review-score' },
      h('label', { for: 'review-score' }, 'Your score'),
      scoreInput,
      h('span', { class: 'review-scale' }, `of ${grade.maxScore}`),
      h('span', { id: 'review-score-hint', class: 'hint' }, `the grader gave ${graded(grade.score, grade.maxScore)}`),
    ),
    h(
      'fieldset',
      { class: 'review-keypoints' },
      h('legend', {}, 'Key points'),
      ...selects.map(({ point, index, select }) =>
        h(
          'div',
          { class: 'review-kp' },
          h('label', { for: select.id, title: point.text }, `${index + 1}. ${point.text}`),
          select,
        ),
      ),
    ),
    h('label', { for: 'review-note' }, 'Note ', h('span', { class: 'optional' }, 'optional')),
    note,
    h('div', { class: 'review-actions' }, accept, save),
    error,
    outcome,
  );

  const changedKeyPoints = () =>
    selects
      .filter(({ point, select }) => select.value !== point.status)
      .map(({ point, select }) => ({ id: point.id, status: select.value }));

  /** @param {{ accept: true } | { score: number }} verdict */
  async function send(verdict) {
    showError(error, null);
    const keyPoints = changedKeyPoints();
    const body = {
      questionId: grade.questionId,
      answer,
      ...verdict,
      ...(keyPoints.length ? { keyPoints } : {}),
      ...(note.value.trim() ? { note: note.value.trim() } : {}),
    };
    for (const button of [accept, save]) button.setAttribute('aria-disabled', 'true');
    outcome.textContent = 'Saving your verdict…';
    try {
      const saved = /** @type {ReviewCreated} */ (
        await call(`/v1/grades/${encodeURIComponent(gradeId)}/review`, { method: 'POST', body })
      );
      const { review, after, before } = saved;
      const verdictText = review.accepted
        ? `You accepted ${points(review.graderScore, review.maxScore)}`
        : `You gave ${points(review.reviewerScore, review.maxScore)}`;
      outcome.replaceChildren(
        h(
          'strong',
          { 'data-testid': 'review-moved' },
          `With your review the grader now gives ${graded(after.score, after.maxScore)} (was ${graded(before.score, before.maxScore)}).`,
        ),
        ` ${verdictText}; kept as graded example ${review.exampleId} of ${review.questionId} and in the review log (${review.id}, by ${review.who}).`,
        saved.warning ? ` ${saved.warning}` : '',
      );
      form.classList.add('is-saved');
      for (const field of [scoreInput, note, ...selects.map(({ select }) => select)]) field.disabled = true;
      accept.hidden = true;
      save.hidden = true;
    } catch (failure) {
      outcome.textContent = '';
      showError(error, failure);
      for (const button of [accept, save]) button.setAttribute('aria-disabled', 'false');
    }
  }

  accept.addEventListener('click', () => {
    if (accept.getAttribute('aria-disabled') !== 'true') send({ accept: true });
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (save.getAttribute('aria-disabled') === 'true') return;
    const score = Number(scoreInput.value);
    if (scoreInput.value.trim() === '' || !Number.isFinite(score) || score < 0 || score > grade.maxScore) {
      showError(error, new Error(`Give a score from 0 to ${grade.maxScore}, or accept the grade.`));
      scoreInput.focus();
      return;
    }
    send({ score });
  });

  return h(
    'section',
    { class: 'review-section', 'aria-labelledby': 'review-heading' },
    h('h3', { id: 'review-heading', class: 'subheading' }, 'Your verdict'),
    h(
      'p',
      { class: 'hint' },
      `Accept the grade, or set your own score and key points. Your verdict is kept as a graded example of ${grade.questionId}: later grades of its answers learn from it.`,
    ),
    form,
  );
}
