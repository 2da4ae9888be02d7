import type { BatchSummary, CandidateSummary, QuestionSummary } from './candidate-summary.js';
import { escapeHtml, formatNumber, formatScore, percent } from '../../report/html.js';
import { renderKeyPoint } from '../../report/key-point-html.js';
import type { ResultRow } from '../result-row.js';
import { candidateChips, scoreBar, type AnchorFor } from './report-tables.js';
import { reviewReasons } from './review-reasons.js';

/** Above this many graded answers the report details only some candidates; every grade stays in results.jsonl and candidates.csv. */
export const DETAIL_ANSWER_LIMIT = 500;

/**
 * The candidates whose answers the report details: all of them in a batch of up to
 * DETAIL_ANSWER_LIMIT answers; in a larger one, those with an answer to review or not graded, then
 * the best-ranked, up to that many answers.
 */
export function detailedCandidates(summary: BatchSummary): Set<string> {
  if (summary.answerCount <= DETAIL_ANSWER_LIMIT)
    return new Set(summary.candidates.map((candidate) => candidate.candidateId));
  const chosen = new Set<string>();
  let answers = 0;
  const needsLook = summary.candidates.filter(
    (candidate) => candidate.reviewCount > 0 || candidate.notGraded.length > 0,
  );
  for (const candidate of [...needsLook, ...summary.candidates]) {
    const size = Math.max(1, candidate.answers.size + candidate.missing.length);
    if (chosen.has(candidate.candidateId)) continue;
    if (answers + size > DETAIL_ANSWER_LIMIT) break;
    chosen.add(candidate.candidateId);
    answers += size;
  }
  return chosen;
}

/** Each detailed candidate, folded: every answer's grade, the reasons to review it, the key points with their evidence. */
export function* renderCandidates(summary: BatchSummary, anchorFor: AnchorFor): Generator<string> {
  for (const candidate of summary.candidates) {
    const anchor = anchorFor(candidate.candidateId);
    if (anchor) yield `${renderCandidate(candidate, summary.questions, anchor)}\n`;
  }
}

function renderCandidate(candidate: CandidateSummary, questions: readonly QuestionSummary[], anchor: string): string {
  const missing = new Set(candidate.missing);
  const answers = questions.flatMap((question) => {
    const row = candidate.answers.get(question.key);
    const id = `${anchor}-${escapeHtml(question.key)}`;
    if (row) return [renderAnswer(row, question, id)];
    return missing.has(question.key)
      ? [
          `<div class="missing-answer" id="${id}"><span class="id">${escapeHtml(question.label)}</span> no answer (counts 0)</div>`,
        ]
      : [];
  });
  const notGraded = candidate.notGraded.map(
    (problem) =>
      `<div class="missing-answer"><span class="id">${escapeHtml(problem.source)}</span> not graded: ${escapeHtml(problem.reason)}</div>`,
  );
  const chips = candidateChips(candidate, (key) => questions.find((question) => question.key === key)?.label ?? key);
  return `<details class="card candidate" id="${anchor}" data-candidate="${escapeHtml(candidate.candidateId)}">
<summary><span class="rank">#${candidate.rank}</span><span class="name">${escapeHtml(candidate.candidateId)}</span><span>${chips}</span><span class="total">${formatScore(candidate.total)} / ${formatNumber(candidate.maxTotal)} · ${percent(candidate.normalizedTotal)}${scoreBar(candidate.normalizedTotal)}</span></summary>
<div class="answers">
${[...answers, ...notGraded].join('\n')}
</div>
</details>`;
}

/** A reviewer's score: the one applied (--overrides), and a field to change it for the next overrides.csv. */
function renderOverride(row: ResultRow, question: QuestionSummary): string {
  const reviewed = row.reviewed
    ? `<span class="chip reviewed">✔ reviewed · the grader gave ${formatScore(row.reviewed.graderScore)}</span>${row.reviewed.note ? ` <span class="note">${escapeHtml(row.reviewed.note)}</span>` : ''}`
    : '';
  const data = `data-candidate="${escapeHtml(row.candidateId)}" data-question="${escapeHtml(question.key)}"`;
  return `<div class="override">${reviewed}<label>Your score <input type="number" class="override-score" ${data} min="0" max="${row.maxScore}" step="0.1" value="${row.score}" data-original="${row.score}"> / ${formatNumber(row.maxScore)}</label><input type="text" class="override-note" ${data} placeholder="why (optional)" aria-label="Why this score (optional)" maxlength="500"></div>`;
}

const CLAIM_KINDS: Record<ResultRow['misconceptions'][number]['kind'], string> = {
  listed: 'known mistake',
  swapped_roles: 'swapped roles',
  opposite: 'states the opposite',
  dismissal: 'dismisses the point',
};

/** The wrong claims the answer states, each with the words that state it. */
function renderWrongClaims(row: ResultRow): string {
  if (row.misconceptions.length === 0) return '';
  const items = row.misconceptions.map(
    (claim) =>
      `<li><strong>✗ ${escapeHtml(CLAIM_KINDS[claim.kind])}:</strong> ${escapeHtml(claim.text)}<blockquote>“${escapeHtml(claim.evidence)}”</blockquote></li>`,
  );
  return `<ul class="wrong-claims" aria-label="Wrong claims">${items.join('')}</ul>`;
}

function renderAnswer(row: ResultRow, question: QuestionSummary, id: string): string {
  const reasons = reviewReasons(row);
  const flags = row.flags.filter((flag) => flag !== 'needs_review');
  const callout =
    reasons.length > 0 ? `<p class="callout"><strong>Needs review:</strong> ${escapeHtml(reasons.join('; '))}</p>` : '';
  const matched =
    row.reference.similarity < 1 && row.questionId
      ? ` · matched to the bank at ${row.reference.similarity.toFixed(2)}`
      : '';
  return `<article class="answer" id="${id}">
<header>
<h4><span class="id" title="${escapeHtml(question.key)}">${escapeHtml(question.label)}</span> <span class="qtext">${escapeHtml(question.question)}</span></h4>
<div class="grade"><span class="pill band-${row.band}">${formatScore(row.score)} / ${formatNumber(row.maxScore)} · ${row.band}</span><span class="confidence">confidence ${row.confidence.toFixed(2)}${matched}</span></div>
</header>
${renderOverride(row, question)}
${flags.length > 0 ? `<div>${flags.map((flag) => `<span class="chip">${escapeHtml(flag.replace(/_/g, ' '))}</span>`).join('')}</div>` : ''}
${callout}
<p class="rationale">${escapeHtml(row.rationale)}</p>
${renderWrongClaims(row)}
<ul class="keypoints">
${row.keyPoints.map(renderKeyPoint).join('\n')}
</ul>
${renderExamples(row)}
<details class="answer-text"><summary>Answer (${escapeHtml(row.source)})</summary><div class="body">${escapeHtml(row.answer)}</div></details>
</article>`;
}

/** "67%", and "under 1%" for a share that would otherwise read as none. */
function formatShare(weight: number): string {
  const rounded = percent(weight);
  return rounded === '0%' && weight > 0 ? 'under 1%' : rounded;
}

/** The interviewer's graded answers that moved this grade, nearest first, with each one's share of the score. */
function renderExamples(row: ResultRow): string {
  if (!row.examples?.length) return '';
  const items = row.examples.map(
    (example) =>
      `<li><span class="id">${escapeHtml(example.id)}</span> <span>graded ${formatScore(example.score)} / ${formatNumber(row.maxScore)} · ${formatShare(example.weight)} of the score</span>${scoreBar(example.weight)}</li>`,
  );
  return `<div class="examples"><p class="examples-heading">Graded examples that weighed in <span class="none">nearest first</span></p>
<ol class="examples">${items.join('')}</ol></div>`;
}
