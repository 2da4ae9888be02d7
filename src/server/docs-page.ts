import { escapeHtml } from '../report/html.js';

/** A readable page of the API from its OpenAPI document: no scripts, no network. */

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; example?: unknown }>;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { description: string }>;
}

function curlFor(method: string, path: string, operation: Operation): string {
  const example = operation.requestBody?.content['application/json']?.example;
  const query = (operation.parameters ?? []).filter(
    (parameter) => parameter.in === 'query' && parameter.example !== undefined,
  );
  const concretePath = path.replace(/\{(\w+)\}/g, (_match, name: string) =>
    String(operation.parameters?.find((parameter) => parameter.name === name)?.example ?? name),
  );
  const url = `http://127.0.0.1:8787${concretePath}${query.length ? `?${query.map((parameter) => `${parameter.name}=${encodeURIComponent(String(parameter.example))}`).join('&')}` : ''}`;
  const parts = [`curl -s${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} '${url}'`];
  if (example !== undefined)
    parts.push(`-H 'Content-Type: application/json'`, `-d '${JSON.stringify(example).replace(/'/g, "'\\''")}'`);
  return parts.join(' \\\n  ');
}

export function renderDocsPage(document: Record<string, unknown>): string {
  const info = document.info as { title: string; version: string; description: string };
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const sections = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const responses = Object.entries(operation.responses)
        .map(([status, response]) => `<li><code>${status}</code> ${escapeHtml(response.description)}</li>`)
        .join('');
      return `<section><h2><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h2>
<p>${escapeHtml(operation.summary ?? '')}</p>${operation.description ? `<p>${escapeHtml(operation.description)}</p>` : ''}
<pre>${escapeHtml(curlFor(method, path, operation))}</pre><ul>${responses}</ul></section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} API</title><style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{margin-bottom:.25rem}section{border-top:1px solid #d0d7de;padding:.5rem 0}
pre{background:#f6f8fa;padding:.75rem;overflow-x:auto;border-radius:6px}
.method{display:inline-block;min-width:3.5rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .4rem}
.get{background:#0a6640}.post{background:#0550ae}.delete{background:#a40e26}code{font-size:.95em}</style></head><body>
<h1>${escapeHtml(info.title)} API <small>${escapeHtml(info.version)}</small></h1><p>${escapeHtml(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). The second-opinion page: <a href="/">/</a>.</p>
${sections.join('\n')}</body></html>`;
}
