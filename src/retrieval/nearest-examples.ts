import type { ReferenceIndex } from './reference-index.js';
import type { ExampleStore } from '../examples/example-store.js';
import type { GradedExample } from '../examples/graded-example.js';

export interface NearestExamplesConfig {
  store: ExampleStore;
  /** Opened only for a question that has examples: grading by id otherwise never needs the index. */
  index: () => Promise<ReferenceIndex>;
  /** How many to return at most; 0 turns graded examples off. */
  count: number;
}

export type FindNearestExamples = (questionId: string, answer: string) => Promise<GradedExample[]>;

/** The graded examples of a bank question nearest to an answer, nearest first. */
export function createNearestExamples({ store, index, count }: NearestExamplesConfig): FindNearestExamples {
  return async (questionId, answer) => {
    if (count === 0 || answer.trim() === '' || store.count(questionId) === 0) return [];
    const matches = await (await index()).searchExamples(answer, { questionId, limit: count });
    const byId = new Map(store.list(questionId).map((example) => [example.id, example]));
    return matches.flatMap((match) => byId.get(match.exampleId) ?? []);
  };
}
