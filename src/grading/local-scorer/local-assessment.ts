import type { Grade } from '../grade-schema.js';
import type { ScoringInput } from '../scorer.js';
import type { Features } from './features.js';
import type { KeyPointCoverage } from './key-point-coverage.js';
import type { ExampleEvidence } from './example-guidance.js';
import type { ContradictionReading } from './contradiction.js';
import type { WrongClaim } from './wrong-claims.js';

/** Everything the scorer saw for one answer, for evaluation and calibration scripts. */
export interface LocalAssessment {
  grade: Grade;
  features: Features;
  keyPoints: KeyPointCoverage[];
  /** The most the checks allow this answer, 0–1 (0 for an empty answer). */
  cap: number;
  /** Weighted key-point credit as shown (covered 1, partial ½), 0–1. */
  tally: number;
  keyPointSource: ScoringInput['keyPointSource'];
  /** The score from the reference alone, before graded examples weighed in. */
  referenceScore: number;
  /** The graded examples given, as the guidance used them (empty without examples). */
  examples: ExampleEvidence[];
  /** How much of what the answer shares with the reference it denies or dismisses. */
  contradiction: ContradictionReading;
  /** Wrong claims the answer states, each with its penalty (0–1 of the scale). */
  wrongClaims: readonly WrongClaim[];
  /** Weighted share of the key points the answer contradicts, 0–1. */
  contradictedShare: number;
}
