import type { InputProblem } from '../batch-answer.js';
import type { BatchSummary } from './candidate-summary.js';
import { createAnchorIds, escapeHtml, formatNumber, percent } from '../../report/html.js';
import { DETAIL_ANSWER_LIMIT, detailedCandidates, renderCandidates } from './report-candidates.js';
import { REPORT_JS } from './report-script.js';
import { REPORT_CSS } from '../../report/report-styles.js';
import { renderSimilarGroups } from './report-similar.js';
import { renderProblems, renderQuestions, renderRanking, renderReviews } from './report-tables.js';
import { noun, plural } from '../../text/plural.js';

export const REPORT_FILE = 'report.html';

export type ReportInput = {
  summary: BatchSummary;
  /** What the last run could not grade (errors.jsonl). */
  problems: readonly InputProblem[];
  /** What was graded, for the title: the input file or folder name. */
  inputName: string;
  generatedAt: Date;
};

/** What a candidate's total is out of, stated in the report so a ranking is read as it was computed. */
function totalsMeaning(summary: BatchSummary): string {
  const declared = summary.declaredQuestions;
  const scope = declared
    ? `Each candidate's total is out of the ${declared.length === 1 ? 'question' : `${declared.length} questions`} every candidate was set (--questions ${declared.join(',')}): a question of them not answered counts 0.`
    : summary.sharedQuestions
      ? `Each candidate's total is out of ${summary.questions.length === 1 ? 'the one question' : `all ${summary.questions.length} questions`} of the take-homes: a question left out of a take-home counts 0.`
      : "Each candidate's total is out of the questions they were set (those with an answer row for them), so candidates asked different questions compare by their share; a candidate who answered one question well can rank above one who answered all. Pass --questions to say which questions every candidate was set.";
  return `${scope} An empty answer is graded 0; an answer that could not be graded is in no total and is counted under Flags ("not graded").`;
}

function detailNote(shown: number, summary: BatchSummary): string {
  if (shown === summary.candidates.length) return '';
  return ` With ${plural(summary.answerCount, 'answer')}, only ${shown} of ${plural(summary.candidates.length, 'candidate')} are detailed here: those with an answer to review or not graded, then the best-ranked, up to ${DETAIL_ANSWER_LIMIT} answers. Every grade, with its rationale and key points, is in results.jsonl; every score in candidates.csv.`;
}

function scorerText(byMode: { local: number; llm: number }): string {
  if (byMode.llm === 0) return 'graded offline (local mode)';
  if (byMode.local === 0) return 'graded by a language model (LLM mode)';
  return `graded by a language model (${byMode.llm}) and the local scorer (${byMode.local})`;
}

/** The whole page as one string (for tests and small batches). */
export function renderReport(input: ReportInput): string {
  return [...reportChunks(input)].join('');
}

/**
 * One self-contained page: inline CSS, JS and SVG, nothing fetched, readable when opened from disk.
 * In pieces, so a report of thousands of answers is written out without being held whole.
 */
export function* reportChunks({ summary, problems, inputName, generatedAt }: ReportInput): Generator<string> {
  const anchorIds = createAnchorIds('c');
  const detailed = detailedCandidates(summary);
  const anchorFor = (candidateId: string) => (detailed.has(candidateId) ? anchorIds(candidateId) : undefined);
  const totals = summary.candidates.map((candidate) => candidate.normalizedTotal).sort((left, right) => left - right);
  const median =
    totals.length === 0
      ? 0
      : (totals[Math.floor((totals.length - 1) / 2)] + totals[Math.ceil((totals.length - 1) / 2)]) / 2;
  const stat = (value: string, label: string, attention = false) =>
    `<div class="stat${attention ? ' attention' : ''}"><div class="value">${value}</div><div class="label">${label}</div></div>`;
  const when = generatedAt.toISOString().replace('T', ' ').slice(0, 16);
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Grading report: ${inputName}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<div class="page">
<header class="top">
<div>
<p class="eyebrow">answerkey · batch grading report</p>
<h1>${escapeHtml(inputName)}</h1>
<p class="meta">${plural(summary.candidates.length, 'candidate')} · ${plural(summary.questions.length, 'question')} · ${escapeHtml(scorerText(summary.byMode))} · ${escapeHtml(when)} UTC</p>
</div>
<nav class="toc" aria-label="Sections"><a href="#ranking">Ranking</a><a href="#questions">Questions</a><a href="#review">Needs review (${summary.reviews.length})</a><a href="#similar">Similar answers (${summary.similarGroups.length})</a><a href="#not-graded">Not graded (${problems.length})</a><a href="#candidates">Candidates</a></nav>
</header>
<div class="stats">
${stat(String(summary.candidates.length), noun(summary.candidates.length, 'candidate'))}
${stat(String(summary.answerCount), `${noun(summary.answerCount, 'answer')} graded`)}
${stat(String(summary.reviews.length), `${noun(summary.reviews.length, 'answer')} to review`, summary.reviews.length > 0)}
${stat(String(problems.length), `${noun(problems.length, 'row or section', 'rows or sections')} not graded`, problems.length > 0)}
${stat(percent(median), 'median total score')}
</div>
<section id="ranking">
<h2>Ranking</h2>
<p class="lede">${escapeHtml(totalsMeaning(summary))} Click a column to sort; ⚑ marks an answer to review, ✔ a score a reviewer set.</p>
${renderRanking(summary, anchorFor)}
</section>
<section id="questions">
<h2>Questions</h2>
<p class="lede">How each question's scores are spread, in ten bins from 0 to the maximum; the dashed line is the mean.</p>
${renderQuestions(summary)}
</section>
<section id="review">
<h2>Needs review</h2>
<p class="lede">Answers whose score was capped (off topic, restating the question, keywords only, text aimed at the grader) or that the grader was unsure of. A person should read these before a decision.</p>
${renderReviews(summary, anchorFor)}
</section>
<section id="similar">
<h2>Similar answers</h2>
<p class="lede">Answers of different candidates to one question that share most of their text (case, spacing and punctuation aside; four-word passages, not common phrases), with the passages they share, and answers that are mostly the reference answer's own text. Similar answers graded more than a third of the scale apart are listed under Needs review.</p>
${renderSimilarGroups(summary, anchorFor)}
</section>
<section id="not-graded">
<h2>Not graded</h2>
<p class="lede">Rows, files and sections of the input that were not graded in the last run (also in errors.jsonl). Fix them and run again: only they will be graded.</p>
${renderProblems(problems)}
</section>
<section id="candidates">
<h2>Candidates</h2>
<p class="lede">Each candidate's answers with the grade, the rationale and every key point with the words that show it.${escapeHtml(detailNote(detailed.size, summary))}</p>
<div class="toolbar"><button type="button" id="expand-all">Open all</button><button type="button" id="collapse-all">Close all</button><button type="button" id="download-overrides" disabled>Download overrides.csv (<span id="override-count">0</span> changed)</button></div>
<p class="lede override-help">Disagree with a score? Change it under the answer (with why, if you like), download overrides.csv and run <code>answerkey batch … --overrides overrides.csv</code> (add <code>--learn</code> to keep your scores as graded examples): the ranking follows your scores, and the answers are marked reviewed.</p>
`;
  yield* renderCandidates(summary, anchorFor);
  yield `</section>
<footer>Generated by answerkey from results.jsonl (${formatNumber(summary.answerCount)} grades). Each grade's rationale and key points say why.</footer>
</div>
<script>${REPORT_JS}</script>
</body>
</html>
`;
}
