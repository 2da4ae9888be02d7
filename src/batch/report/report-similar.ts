import type { BatchSummary } from './candidate-summary.js';
import { escapeHtml, formatNumber, formatScore } from '../../report/html.js';
import type { AnchorFor } from './report-tables.js';
import { noun } from '../../text/plural.js';

/** The "Similar answers" section: each group of answers sharing most of their text, the candidates, their scores and the passages they share. */
export function renderSimilarGroups(summary: BatchSummary, anchorFor: AnchorFor): string {
  const copies = summary.candidates.flatMap((candidate) =>
    [...candidate.answers.values()].filter((row) => row.flags.includes('copies_reference')),
  );
  const labels = new Map(summary.questions.map((question) => [question.key, question.label]));
  const parts: string[] = [];
  if (summary.similarGroups.length === 0)
    parts.push(
      '<div class="card empty-note">No two candidates\' answers to a question share most of their text.</div>',
    );
  const cards = summary.similarGroups.map((group, index) => {
    const members = group.members.map((member) => {
      const anchor = anchorFor(member.candidateId);
      const name = escapeHtml(member.candidateId);
      const link = anchor ? `<a href="#${anchor}-${escapeHtml(group.questionKey)}">${name}</a>` : name;
      return `<li>${link} <span class="pill">${formatScore(member.score)} / ${formatNumber(member.maxScore)}</span></li>`;
    });
    const shares = group.pairs
      .map((pair) => `${escapeHtml(pair.left)} ↔ ${escapeHtml(pair.right)}: ${Math.round(pair.share * 100)}%`)
      .join(' · ');
    const differ = group.gradesDiffer
      ? `<span class="chip review" title="more than a third of the scale apart">grades differ by ${formatScore(group.spread)}</span>`
      : `<span class="chip">grades within ${formatScore(group.spread)}</span>`;
    return `<div class="card similar-group" data-question="${escapeHtml(group.questionKey)}">
<h3>Group ${index + 1} · <span class="id">${escapeHtml(labels.get(group.questionKey) ?? group.questionKey)}</span> · ${group.members.length} ${noun(group.members.length, 'candidate')} ${differ}</h3>
<ul class="members">${members.join('')}</ul>
<p class="meta">Share of the shorter answer's words in passages both have: ${shares}</p>
${group.spans.map((span) => `<blockquote class="evidence">“${escapeHtml(span.length > 400 ? `${span.slice(0, 399)}…` : span)}”</blockquote>`).join('\n')}
</div>`;
  });
  parts.push(cards.join('\n'));
  if (copies.length > 0) {
    const rows = copies.map((row) => {
      const anchor = anchorFor(row.candidateId);
      const name = escapeHtml(row.candidateId);
      const key = row.questionId ?? row.questionKey;
      return `<li>${anchor ? `<a href="#${anchor}-${escapeHtml(key)}">${name}</a>` : name}, ${escapeHtml(labels.get(key) ?? key)}: ${formatScore(row.score)} / ${formatNumber(row.maxScore)} ${row.reviewed ? `(reviewed; the grader gave ${formatScore(row.reviewed.graderScore)})` : '(score kept)'}</li>`;
    });
    parts.push(`<div class="card copies"><h3>Copies of the reference answer</h3><ul>${rows.join('')}</ul></div>`);
  }
  return parts.join('\n');
}
