/** The report's only stylesheet, inlined: system fonts, no network. Colours meet WCAG AA on their backgrounds. */
export const REPORT_CSS = `
:root {
  color-scheme: light;
  --ink: #1b2430; --muted: #4f5b6b; --faint: #6b7685; --line: #e3e7ed; --line-strong: #cfd6df;
  --page: #f5f7fa; --card: #ffffff; --accent: #3447b8; --accent-soft: #eef1fc;
  --excellent: #14532d; --excellent-bg: #dcfce7; --good: #365314; --good-bg: #ecfccb;
  --fair: #713f12; --fair-bg: #fef3c7; --weak: #7c2d12; --weak-bg: #ffedd5; --poor: #7f1d1d; --poor-bg: #fee2e2;
  --review: #8a4b00; --review-bg: #fff7e6; --review-line: #f5c46b;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus-visible { text-decoration: underline; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.page { max-width: 1180px; margin: 0 auto; padding: 28px 24px 64px; }
header.top { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 12px 24px; margin-bottom: 20px; }
header.top h1 { margin: 0; font-size: 26px; line-height: 1.2; letter-spacing: -0.01em; }
header.top .meta { color: var(--muted); margin: 6px 0 0; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; font-weight: 600; color: var(--accent); margin: 0 0 4px; }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px; }
nav.toc a { padding: 5px 11px; border: 1px solid var(--line-strong); border-radius: 999px; background: var(--card); color: var(--ink); font-size: 13px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin: 0 0 28px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.stat .value { font-size: 26px; font-weight: 650; line-height: 1.1; font-variant-numeric: tabular-nums; }
.stat .label { color: var(--muted); font-size: 13px; margin-top: 4px; }
.stat.attention .value { color: var(--review); }
section { margin: 0 0 36px; }
section > h2 { font-size: 19px; margin: 0 0 4px; }
section > .lede { color: var(--muted); margin: 0 0 14px; max-width: 75ch; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 0 0 10px; }
.toolbar input[type=search] { font: inherit; padding: 7px 10px; border: 1px solid var(--line-strong); border-radius: 8px; min-width: 240px; background: var(--card); color: var(--ink); }
button { font: inherit; font-size: 13px; color: var(--ink); background: var(--card); border: 1px solid var(--line-strong); border-radius: 8px; padding: 6px 11px; cursor: pointer; }
button:hover { background: var(--accent-soft); }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 8px 10px; text-align: left; border-bottom: 1px solid var(--line); vertical-align: middle; }
thead th { position: sticky; top: 0; background: #f9fafb; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; z-index: 1; white-space: nowrap; }
thead th.qid { text-transform: none; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; letter-spacing: 0; }
thead th button { all: unset; cursor: pointer; }
thead th button:focus-visible { outline: 2px solid var(--accent); }
thead th[aria-sort=ascending] button::after { content: " ▲"; }
thead th[aria-sort=descending] button::after { content: " ▼"; }
tbody tr:nth-child(even) { background: #fafbfc; }
tbody tr:hover { background: var(--accent-soft); }
td.num, th.num { text-align: right; }
td.rank { color: var(--muted); width: 3em; }
td.candidate { font-weight: 600; white-space: nowrap; }
.score { display: inline-flex; align-items: center; gap: 6px; min-width: 3.2em; justify-content: flex-end; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.band-excellent { color: var(--excellent); background: var(--excellent-bg); }
.band-good { color: var(--good); background: var(--good-bg); }
.band-fair { color: var(--fair); background: var(--fair-bg); }
.band-weak { color: var(--weak); background: var(--weak-bg); }
.band-poor { color: var(--poor); background: var(--poor-bg); }
.none { color: var(--faint); }
.bar { display: inline-block; width: 90px; height: 8px; border-radius: 4px; background: #e9edf2; overflow: hidden; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: var(--accent); border-radius: 4px; }
.total { display: flex; align-items: center; gap: 10px; justify-content: flex-end; }
.chip { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 6px; border: 1px solid var(--line-strong); color: var(--muted); background: var(--card); margin: 1px 4px 1px 0; white-space: nowrap; }
.chip.review { color: var(--review); background: var(--review-bg); border-color: var(--review-line); }
.questions { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 14px; }
.questions.few { grid-template-columns: repeat(var(--columns), minmax(0, 1fr)); }
@media (max-width: 900px) { .questions.few { grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); } }
.question { padding: 14px 16px 10px; }
.question h3 { margin: 0; font-size: 15px; display: flex; gap: 8px; align-items: baseline; }
.question .text { color: var(--muted); font-size: 13.5px; margin: 4px 0 8px; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
.question .figures { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; color: var(--muted); font-variant-numeric: tabular-nums; }
.question .figures span { white-space: nowrap; }
.question .figures b { color: var(--ink); font-weight: 600; }
td code { white-space: nowrap; font-size: 13px; }
td.nowrap { white-space: nowrap; }
.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; background: var(--accent-soft); color: var(--accent); padding: 1px 6px; border-radius: 5px; font-weight: 600; }
svg.histogram { width: 100%; height: auto; display: block; margin-top: 6px; }
svg.histogram .grid { stroke: #e7ebf0; stroke-width: 1; }
svg.histogram .tick { font-size: 13px; fill: #5b6675; }
svg.histogram .count { font-size: 12.5px; fill: #3b4655; font-weight: 600; }
svg.histogram .mean { stroke: #1b2430; stroke-width: 1.5; stroke-dasharray: 3 3; }
.excerpt { color: var(--muted); font-size: 13.5px; max-width: 60ch; }
details.candidate { margin: 0 0 10px; }
details.candidate > summary { list-style: none; cursor: pointer; padding: 12px 16px; display: grid; grid-template-columns: 3.2em minmax(8em, 1fr) auto auto; gap: 14px; align-items: center; }
details.candidate > summary::-webkit-details-marker { display: none; }
details.candidate > summary .name { font-weight: 650; font-size: 15.5px; }
details.candidate > summary .rank { color: var(--muted); font-variant-numeric: tabular-nums; }
details.candidate > summary .name::before { content: ""; display: inline-block; width: 7px; height: 7px; margin: 0 12px 2px 2px; border-right: 2px solid var(--faint); border-bottom: 2px solid var(--faint); transform: rotate(-45deg); transition: transform .15s; }
details.candidate[open] > summary .name::before { transform: rotate(45deg); }
details.candidate[open] > summary { border-bottom: 1px solid var(--line); }
.answers { padding: 4px 16px 8px; }
article.answer { padding: 14px 0; border-bottom: 1px solid var(--line); }
article.answer:last-child { border-bottom: 0; }
article.answer header { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: baseline; justify-content: space-between; }
article.answer h4 { margin: 0; font-size: 14.5px; font-weight: 600; flex: 1 1 420px; }
article.answer h4 .qtext { font-weight: 400; color: var(--muted); }
article.answer .grade { display: flex; gap: 8px; align-items: baseline; font-variant-numeric: tabular-nums; }
article.answer .confidence { color: var(--muted); font-size: 12.5px; }
.callout { margin: 10px 0 0; padding: 8px 12px; border-left: 3px solid var(--review-line); background: var(--review-bg); color: var(--review); border-radius: 0 6px 6px 0; font-size: 13.5px; }
.rationale { margin: 10px 0 8px; max-width: 90ch; }
ul.wrong-claims { list-style: none; margin: 0 0 8px; padding: 0; display: grid; gap: 6px; font-size: 14px; }
ul.wrong-claims li { padding: 6px 10px; border-left: 3px solid #b42318; background: #fdf2f2; border-radius: 0 6px 6px 0; }
ul.wrong-claims strong { color: #b42318; }
ul.wrong-claims blockquote { margin: 4px 0 0; color: var(--muted, #555); font-style: italic; }
ul.keypoints { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
ul.keypoints li { display: grid; grid-template-columns: 6.2em 1fr; gap: 10px; font-size: 14px; }
.status { font-size: 12px; font-weight: 600; padding: 1px 7px; border-radius: 6px; text-align: center; align-self: start; }
.status-covered { color: var(--excellent); background: var(--excellent-bg); }
.status-partial { color: var(--fair); background: var(--fair-bg); }
.status-missing { color: var(--poor); background: var(--poor-bg); }
.override { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin: 4px 0; font-size: 13px; color: var(--muted); }
.override input.override-score { width: 5em; }
.override input.override-score.changed { outline: 2px solid var(--review); }
.override input.override-note { flex: 1; min-width: 12em; max-width: 30em; }
.chip.reviewed { color: #1a6b36; background: #e6f4ea; border-color: #9fd2ae; }
.similar-group, .copies { padding: 10px 14px; margin-bottom: 10px; }
.similar-group h3, .copies h3 { margin: 0 0 6px; font-size: 15px; }
.similar-group .members { list-style: none; padding: 0; margin: 0 0 4px; display: flex; flex-wrap: wrap; gap: 4px 16px; }
blockquote.evidence { margin: 3px 0 0; padding: 2px 10px; border-left: 3px solid var(--line-strong); color: var(--muted); font-style: italic; }
div.examples { margin-top: 10px; font-size: 13.5px; }
.examples-heading { margin: 0 0 4px; font-weight: 600; }
.examples-heading .none { font-weight: 400; }
ol.examples { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: auto auto 1fr; gap: 4px 10px; align-items: center; }
ol.examples li { display: grid; grid-column: 1 / -1; grid-template-columns: subgrid; align-items: center; font-variant-numeric: tabular-nums; }
ol.examples .id { justify-self: start; }
details.answer-text { margin-top: 10px; }
details.answer-text > summary { cursor: pointer; color: var(--accent); font-size: 13.5px; }
details.answer-text .body { white-space: pre-wrap; background: #f8f9fb; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin-top: 6px; font-size: 14px; max-height: 28em; overflow: auto; }
.missing-answer { color: var(--faint); font-style: italic; padding: 12px 0; border-bottom: 1px solid var(--line); }
footer { color: var(--faint); font-size: 12.5px; margin-top: 40px; border-top: 1px solid var(--line); padding-top: 14px; }
.empty-note { padding: 14px 16px; color: var(--muted); }
@media (max-width: 720px) {
  .page { padding: 18px 12px 40px; }
  details.candidate > summary { grid-template-columns: 2.4em 1fr auto; }
  details.candidate > summary .bar { display: none; }
}
@media print {
  body { background: #fff; }
  .toolbar, nav.toc { display: none; }
  .card { break-inside: avoid; }
  thead th { position: static; }
}
`;
