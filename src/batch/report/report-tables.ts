import type { InputProblem } from '../batch-answer.js';
import type { BatchSummary, CandidateSummary } from './candidate-summary.js';
import { escapeHtml, formatNumber, formatScore, percent } from '../../report/html.js';
import { renderHistogram } from './render-histogram.js';
import { questionColumnKey, type ResultRow } from '../result-row.js';
import { reviewReasons } from './review-reasons.js';
import { noun } from '../../text/plural.js';

/** The anchor of a candidate's detail, or undefined when the report leaves it out (large batches). */
export type AnchorFor = (candidateId: string) => string | undefined;

const DENSE_SHARE = 0.5;
const MAX_QUESTION_COLUMNS = 20;

/** A column per question only when most cells would hold a score; otherwise one column lists each candidate's answers. */
function usesQuestionColumns(summary: BatchSummary): boolean {
  if (summary.sharedQuestions) return true;
  const cells = summary.questions.length * summary.candidates.length;
  return summary.questions.length <= MAX_QUESTION_COLUMNS && cells > 0 && summary.answerCount / cells >= DENSE_SHARE;
}

/** The ranking: one row per candidate, one column per question (or a list of their answers), sortable by any column. */
export function renderRanking(summary: BatchSummary, anchorFor: AnchorFor): string {
  const columns = usesQuestionColumns(summary);
  const headers = columns
    ? summary.questions.map(
        (question) =>
          `<th class="num qid" scope="col" title="${escapeHtml(`${question.key}: ${question.question}`)}"><button type="button">${escapeHtml(question.label)}</button></th>`,
      )
    : ['<th scope="col">Answers</th>'];
  const labels = new Map(summary.questions.map((question) => [question.key, question]));
  const labelOf = (key: string) => labels.get(key)?.label ?? key;
  const rows = summary.candidates.map((candidate) => {
    const missing = new Set(candidate.missing);
    const cells = columns
      ? summary.questions.map((question) => {
          const row = candidate.answers.get(question.key);
          if (row) return `<td class="num" data-value="${row.score}">${scorePill(row)}</td>`;
          return missing.has(question.key)
            ? '<td class="num none" data-value="-1" title="no answer (counts 0)">—</td>'
            : '<td data-value="-2"></td>';
        })
      : [
          `<td>${[...candidate.answers.entries()]
            .map(
              ([key, row]) =>
                `<span class="answer-score">${escapeHtml(labels.get(key)?.label ?? key)} ${scorePill(row)}</span>`,
            )
            .join(' ')}</td>`,
        ];
    const anchor = anchorFor(candidate.candidateId);
    const name = escapeHtml(candidate.candidateId);
    return `<tr data-candidate="${name}">
<td class="rank" data-value="${candidate.rank}">${candidate.rank}</td>
<td class="candidate" data-value="${name}">${anchor ? `<a href="#${anchor}">${name}</a>` : name}</td>
${cells.join('')}
<td class="num" data-value="${candidate.total}">${formatScore(candidate.total)} <span class="none">/ ${formatNumber(candidate.maxTotal)}</span></td>
<td class="num" data-value="${candidate.normalizedTotal}"><div class="total">${percent(candidate.normalizedTotal)}${scoreBar(candidate.normalizedTotal)}</div></td>
<td data-value="${candidate.reviewCount * 100 + candidate.missing.length + candidate.notGraded.length + candidate.empty.length}">${candidateChips(candidate, labelOf)}</td>
</tr>`;
  });
  return `<div class="toolbar"><input id="candidate-filter" type="search" placeholder="Filter candidates by id" aria-label="Filter candidates by id" autocomplete="off"></div>
<div class="card table-wrap"><table class="sortable" id="ranking-table">
<thead><tr><th scope="col" aria-sort="ascending"><button type="button">Rank</button></th><th scope="col"><button type="button">Candidate</button></th>${headers.join('')}<th class="num" scope="col"><button type="button">Total</button></th><th class="num" scope="col"><button type="button">Score</button></th><th scope="col"><button type="button">Flags</button></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

function scorePill(row: ResultRow): string {
  // A reviewer's score is marked ✔ (and is no longer to review); otherwise ⚑ marks an answer to review.
  const mark = row.reviewed ? ' ✔' : reviewReasons(row).length > 0 ? ' ⚑' : '';
  const reviewed = row.reviewed ? `; reviewed, the grader gave ${formatScore(row.reviewed.graderScore)}` : '';
  return `<span class="pill band-${row.band}" title="${escapeHtml(`${row.band}${row.flags.length ? `; ${row.flags.join(', ')}` : ''}${reviewed}`)}">${formatScore(row.score)}${mark}</span>`;
}

export function scoreBar(fraction: number): string {
  return `<span class="bar" aria-hidden="true"><span style="width:${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%"></span></span>`;
}

/** The flags of a candidate as chips; `labelOf` names a question as its column does. */
export function candidateChips(candidate: CandidateSummary, labelOf: (key: string) => string): string {
  const chips: string[] = [];
  const named = (keys: readonly string[]) => keys.map(labelOf).join(', ');
  if (candidate.reviewCount > 0) chips.push(`<span class="chip review">${candidate.reviewCount} to review</span>`);
  if (candidate.empty.length > 0)
    chips.push(
      `<span class="chip" title="answered with nothing, graded 0">${escapeHtml(named(candidate.empty))}: empty</span>`,
    );
  if (candidate.missing.length > 0)
    chips.push(
      `<span class="chip" title="${escapeHtml(named(candidate.missing))}">${candidate.missing.length} unanswered</span>`,
    );
  if (candidate.notGraded.length > 0) {
    const where = candidate.notGraded.map((problem) => `${problem.source}: ${problem.reason}`).join('\n');
    chips.push(
      `<span class="chip review" title="${escapeHtml(where)}">${candidate.notGraded.length} not graded</span>`,
    );
  }
  return chips.join('');
}

/** One card per question: how its scores are spread, with the mean marked. */
export function renderQuestions(summary: BatchSummary): string {
  const reviewed = new Set(summary.reviews.map((item) => item.row));
  const cards = summary.questions.map((question) => {
    const scores = question.rows.map((row) => row.score).sort((left, right) => left - right);
    const mean = scores.reduce((sum, score) => sum + score, 0) / Math.max(1, scores.length);
    const median =
      scores.length === 0
        ? 0
        : (scores[Math.floor((scores.length - 1) / 2)] + scores[Math.ceil((scores.length - 1) / 2)]) / 2;
    const flagged = question.rows.filter((row) => reviewed.has(row)).length;
    return `<div class="card question">
<h3><span class="id" title="${escapeHtml(question.key)}">${escapeHtml(question.label)}</span><span class="none">max ${formatNumber(question.maxScore)}</span></h3>
<p class="text" title="${escapeHtml(question.question)}">${escapeHtml(question.question)}</p>
<div class="figures"><span><b>${scores.length}</b> ${noun(scores.length, 'answer')}</span><span>mean <b>${mean.toFixed(2)}</b></span><span>median <b>${formatNumber(median, 2)}</b></span>${flagged ? `<span><b>${flagged}</b> to review</span>` : ''}</div>
${renderHistogram(scores, question.maxScore, question.label)}
</div>`;
  });
  // Up to four questions share one row; more wrap in a grid.
  const few = summary.questions.length <= 4 ? ` few" style="--columns: ${Math.max(1, summary.questions.length)}` : '';
  return `<div class="questions${few}">${cards.join('\n')}</div>`;
}

/** Every answer a person should read, with the reasons, linked to the candidate's detail. */
export function renderReviews(summary: BatchSummary, anchorFor: AnchorFor): string {
  if (summary.reviews.length === 0)
    return '<div class="card empty-note">No answer needs a human: nothing was capped and the grader was confident throughout.</div>';
  const labels = new Map(summary.questions.map((question) => [question.key, question.label]));
  const rows = summary.reviews.map(({ row, reasons }) => {
    const key = questionColumnKey(row);
    const anchor = anchorFor(row.candidateId);
    const name = escapeHtml(row.candidateId);
    return `<tr data-candidate="${name}">
<td class="candidate">${anchor ? `<a href="#${anchor}-${escapeHtml(key)}">${name}</a>` : name}</td>
<td><span class="id" title="${escapeHtml(key)}">${escapeHtml(labels.get(key) ?? key)}</span></td>
<td class="num" data-value="${row.score}"><span class="pill band-${row.band}">${formatScore(row.score)} / ${formatNumber(row.maxScore)}</span></td>
<td>${reasons.map((reason) => `<span class="chip review">${escapeHtml(reason)}</span>`).join('')}</td>
<td class="excerpt">${escapeHtml(excerpt(row.answer, 220))}</td>
</tr>`;
  });
  return `<div class="card table-wrap"><table class="sortable">
<thead><tr><th scope="col"><button type="button">Candidate</button></th><th scope="col"><button type="button">Question</button></th><th class="num" scope="col"><button type="button">Score</button></th><th scope="col">Why</th><th scope="col">Answer begins</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

/** Rows, files and sections that were not graded (errors.jsonl), so nothing is silently lost. */
export function renderProblems(problems: readonly InputProblem[]): string {
  if (problems.length === 0) return '<div class="card empty-note">Every row and section of the input was graded.</div>';
  const rows = problems.map(
    (problem) => `<tr>
<td><code>${escapeHtml(problem.source)}</code></td>
<td class="nowrap">${escapeHtml(problem.candidateId ?? '—')}</td>
<td>${escapeHtml(problem.kind.replace(/_/g, ' '))}</td>
<td>${escapeHtml(problem.reason)}</td>
<td class="excerpt">${escapeHtml(problem.excerpt ?? '')}</td>
</tr>`,
  );
  return `<div class="card table-wrap"><table class="sortable">
<thead><tr><th scope="col"><button type="button">Where</button></th><th scope="col"><button type="button">Candidate</button></th><th scope="col"><button type="button">What</button></th><th scope="col">Why</th><th scope="col">Text</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

function excerpt(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}
