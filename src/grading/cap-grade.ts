import { bandFor, type Grade, type GradeFlag } from './grade-schema.js';

/** Lowers a grade to at most `cap` (0–1 of the scale), adds the flag, and says why in the rationale. */
export function capGrade(grade: Grade, cap: number, flag: GradeFlag, reason: string): Grade {
  const normalizedScore = Math.min(grade.normalizedScore, cap);
  return {
    ...grade,
    normalizedScore,
    score: Math.round(normalizedScore * grade.maxScore * 100) / 100,
    band: bandFor(normalizedScore),
    flags: grade.flags.includes(flag) ? grade.flags : [...grade.flags, flag],
    rationale: `${grade.rationale} ${reason}`,
  };
}
