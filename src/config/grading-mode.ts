import { z } from 'zod';

/** The scorers a grade can come from: the offline local scorer, or a language model. */
export const GRADING_MODES = ['local', 'llm'] as const;
export const gradingModeSchema = z.enum(GRADING_MODES);
export type GradingMode = z.infer<typeof gradingModeSchema>;
