import type { BatchSummary } from './candidate-summary.js';
import { csvCell } from './write-candidates-csv.js';

export const SIMILAR_FILE = 'similar.csv';

/**
 * One row per answer in a group of similar answers: the group, the question, the candidate, the
 * score, whom they share most text with and how much, whether the group's grades differ by more than
 * a third of the scale, and the longest passage the closest pair shares.
 */
export function similarCsv(summary: BatchSummary): string {
  const labels = new Map(summary.questions.map((question) => [question.key, question.label]));
  const header = [
    'group',
    'question',
    'candidate_id',
    'score',
    'max_score',
    'similar_to',
    'grades_differ',
    'shared_text',
  ];
  const lines = [header];
  summary.similarGroups.forEach((group, index) => {
    for (const member of group.members) {
      const partners = group.pairs
        .filter((pair) => pair.left === member.candidateId || pair.right === member.candidateId)
        .map(
          (pair) => `${pair.left === member.candidateId ? pair.right : pair.left} (${Math.round(pair.share * 100)}%)`,
        );
      lines.push([
        String(index + 1),
        labels.get(group.questionKey) ?? group.questionKey,
        member.candidateId,
        String(member.score),
        String(member.maxScore),
        partners.join('; '),
        group.gradesDiffer ? 'yes' : 'no',
        group.spans[0] ?? '',
      ]);
    }
  });
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
