import { z } from 'zod';
import type { TextExtraction } from './decode-text.js';

const source = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value.join('') : value));
const notebookSchema = z.object({
  nbformat: z.number().int().min(4, 'nbformat 4 or later'),
  cells: z.array(z.object({ cell_type: z.string(), source: source.default('') })),
  metadata: z
    .object({ language_info: z.object({ name: z.string() }).partial().optional() })
    .partial()
    .optional(),
});

/**
 * A Jupyter notebook as take-home text: markdown cells as they are (their headings name the
 * questions), code cells as fenced code blocks (so a "# Q4" comment is code, not a heading), raw
 * cells as text. Outputs are left out: they are what the code printed, not the candidate's answer.
 */
export function notebookToText(json: string): TextExtraction {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return { problem: 'not a Jupyter notebook: not valid JSON' };
  }
  const parsed = notebookSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      problem: `not a Jupyter notebook Answerkey can read (${issue.path.join('.') || 'notebook'}: ${issue.message}); save it with Jupyter 4 or later`,
    };
  }
  const language = parsed.data.metadata?.language_info?.name ?? 'python';
  const cells = parsed.data.cells.flatMap((cell) => {
    const text = cell.source.replace(/\s+$/, '');
    if (text.trim() === '') return [];
    if (cell.cell_type === 'code') return [`\`\`\`${language}\n${text}\n\`\`\``];
    return [text];
  });
  return { text: cells.join('\n\n') };
}
