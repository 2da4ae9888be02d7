import { escapeHtml } from './html.js';

/** What a key point's line shows: the grade's key-point result, or anything shaped like it. */
export interface KeyPointView {
  status: string;
  text: string;
  evidence: string | null;
}

/** One key point as a list item: its status, its text, and the quote that made it. */
export function renderKeyPoint(keyPoint: KeyPointView): string {
  const evidence = keyPoint.evidence
    ? `<blockquote class="evidence">“${escapeHtml(keyPoint.evidence.replace(/\s+/g, ' '))}”</blockquote>`
    : '';
  return `<li><span class="status status-${keyPoint.status}">${keyPoint.status}</span><div>${escapeHtml(keyPoint.text)}${evidence}</div></li>`;
}
