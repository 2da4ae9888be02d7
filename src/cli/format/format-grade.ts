import type { Grade } from '../../grading/grade-schema.js';
import type { Rubric } from '../../rubrics/rubric-schema.js';
import { wrap, type TerminalStyle } from './terminal-style.js';

const WIDTH = 78;
const BAR_CELLS = 20;

function scoreBar(normalized: number, style: TerminalStyle): string {
  const filled = Math.round(normalized * BAR_CELLS);
  const paint = normalized >= 0.65 ? style.green : normalized >= 0.45 ? style.yellow : style.red;
  return paint('█'.repeat(filled)) + style.dim('░'.repeat(BAR_CELLS - filled));
}

const STATUS_MARK = { covered: '✔', partial: '◐', missing: '✘' } as const;

/** A grade as a person reads it in a terminal: score first, then the evidence, then the why. */
export function formatGrade(grade: Grade, question: string, style: TerminalStyle): string {
  const lines: string[] = [];
  const id = grade.questionId ?? 'ad-hoc question';
  const match =
    grade.reference.similarity < 1 ? style.dim(` (matched at ${grade.reference.similarity.toFixed(2)})`) : '';
  lines.push(style.bold(id) + match);
  lines.push(wrap(question, WIDTH, '  '));
  lines.push('');
  lines.push(
    `${style.bold(`Score ${grade.score.toFixed(1)} / ${grade.maxScore}`)}  ${scoreBar(grade.normalizedScore, style)}  ${style.bold(grade.band)}` +
      style.dim(`   confidence ${grade.confidence.toFixed(2)} · ${grade.mode}`),
  );
  lines.push('');
  lines.push(style.bold('Key points'));
  for (const keyPoint of grade.keyPoints) {
    const paint =
      keyPoint.status === 'covered' ? style.green : keyPoint.status === 'partial' ? style.yellow : style.red;
    lines.push(
      `  ${paint(`${STATUS_MARK[keyPoint.status]} ${keyPoint.status.padEnd(7)}`)} ${wrap(keyPoint.text, WIDTH - 12, '').replace(/\n/g, `\n${' '.repeat(12)}`)}`,
    );
    if (keyPoint.evidence)
      lines.push(style.cyan(wrap(`“${keyPoint.evidence.replace(/\s+/g, ' ')}”`, WIDTH - 12, ' '.repeat(12))));
  }
  if (grade.misconceptions.length > 0) {
    lines.push('');
    lines.push(style.bold('Wrong claims'));
    for (const claim of grade.misconceptions) {
      lines.push(`  ${style.red('✘')} ${wrap(claim.text, WIDTH - 4, '').replace(/\n/g, `\n${' '.repeat(4)}`)}`);
      lines.push(style.cyan(wrap(`“${claim.evidence.replace(/\s+/g, ' ')}”`, WIDTH - 4, ' '.repeat(4))));
    }
  }
  lines.push('');
  lines.push(style.bold('Rationale'));
  lines.push(wrap(grade.rationale, WIDTH, '  '));
  if (grade.flags.length > 0) {
    lines.push('');
    lines.push(`${style.bold('Flags')}  ${style.yellow(grade.flags.join(', '))}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatRubric(rubric: Rubric, style: TerminalStyle): string {
  const lines = [
    `${style.bold(rubric.id)}  ${style.dim(rubric.section)}`,
    wrap(rubric.question, WIDTH, '  '),
    '',
    style.bold('Reference answer'),
  ];
  lines.push(wrap(rubric.referenceAnswer, WIDTH, '  '), '', style.bold(`Key points (max score ${rubric.maxScore})`));
  for (const keyPoint of rubric.keyPoints) {
    lines.push(
      `  • ${wrap(keyPoint.text, WIDTH - 14, '').replace(/\n/g, '\n    ')} ${style.dim(`×${keyPoint.weight}`)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
