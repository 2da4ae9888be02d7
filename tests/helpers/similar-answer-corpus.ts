import type { SimilarityRow } from '../../src/batch/report/similar-answers.js';
import { seededRandom } from '../../src/evaluation/evaluation-folds.js';
import type { QuestionBank } from '../../src/rubrics/question-bank.js';

const COMMON_PHRASES = [
  'in my experience',
  'it depends on the use case',
  'the most important thing is',
  'on the other hand',
  'for example',
  'at the end of the day',
  'as far as I know',
  'in production we',
  'I would start by',
  'this is useful when',
  'the main advantage is that',
  'one thing to keep in mind is',
  'in a senior role',
  'we also make sure that',
  'it is important to',
  'as a result',
  'most of the time',
  'in my current team',
  'the trade-off is',
  'to sum up',
];

export type PlantedCorpus = {
  rows: SimilarityRow[];
  /** Each planted group: question and the candidates whose answers were copied from one another. */
  groups: { questionKey: string; candidates: string[] }[];
  /** Answers planted as the reference answer with small edits: "question/candidate". */
  referenceCopies: string[];
};

/**
 * `questions` bank questions × `candidates` answers each, written independently from the question's
 * words, the reference's keywords, everyday words and phrases many candidates use; then, per
 * question, planted: an exact copy (case, spacing and punctuation changed), a near-copy (one word in
 * twenty changed, a sentence dropped or added), a group of three near-copies, and a copy of
 * the reference answer with small edits.
 */
export function plantedCorpus(
  bank: Pick<QuestionBank, 'rubrics'>,
  { questions, candidates, seed }: { questions: number; candidates: number; seed: number },
): PlantedCorpus {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const everyday =
    'the a we our it is are was be can to of and or but so that this with for on in at by from as when then more less also only just very often usually never always team code system service data user users request time work change changes problem problems test tests build release quickly slowly carefully good better best simple clear small large fast slow new old first second next last each every some many few other same different easy hard right wrong usually sometimes think know use used using make makes made keep keeps run runs write writes read reads check checks fix fixes start starts stop stops'.split(
      ' ',
    );
  const rows: SimilarityRow[] = [];
  const groups: PlantedCorpus['groups'] = [];
  const referenceCopies: string[] = [];
  for (const rubric of bank.rubrics.slice(0, questions)) {
    const topic = [
      ...new Set(`${rubric.question} ${rubric.referenceAnswer}`.toLowerCase().match(/[a-z][a-z-]+/g) ?? []),
    ];
    const sentence = () => {
      const words: string[] = [];
      const length = 7 + Math.floor(random() * 10);
      while (words.length < length) {
        const roll = random();
        if (roll < 0.08) words.push(...pick(COMMON_PHRASES).split(' '));
        else if (roll < 0.5) words.push(pick(topic));
        else words.push(pick(everyday));
      }
      return `${words.join(' ')}.`;
    };
    const independent = () => Array.from({ length: 4 + Math.floor(random() * 5) }, sentence);
    const answers: string[][] = Array.from({ length: candidates }, independent);
    const nearCopy = (source: readonly string[]) => {
      const copy = source.map((text) =>
        text
          .split(' ')
          .map((word) => (random() < 0.05 ? pick(everyday) : word))
          .join(' '),
      );
      // One sentence dropped or one added.
      if (random() < 0.5) copy.splice(Math.floor(random() * copy.length), 1);
      else copy.splice(Math.floor(random() * copy.length), 0, sentence());
      return copy;
    };
    const id = (index: number) => `cand-${String(index + 1).padStart(4, '0')}`;
    // Planted among the candidates, in places chosen by the seed.
    const slots = shuffled(
      Array.from({ length: candidates }, (_, index) => index),
      random,
    );
    const [exactA, exactB, nearA, nearB, tripleA, tripleB, tripleC, reference] = slots;
    answers[exactB] = answers[exactA].map((text) => text.toUpperCase().replace(/\./g, ' ;  '));
    answers[nearB] = nearCopy(answers[nearA]);
    answers[tripleB] = nearCopy(answers[tripleA]);
    answers[tripleC] = nearCopy(answers[tripleA]);
    const referenceWords = rubric.referenceAnswer.split(' ').map((word) => (random() < 0.08 ? pick(everyday) : word));
    answers[reference] = [`Here is how I see it: ${referenceWords.join(' ')}`];
    groups.push(
      { questionKey: rubric.id, candidates: [id(exactA), id(exactB)].sort() },
      { questionKey: rubric.id, candidates: [id(nearA), id(nearB)].sort() },
      { questionKey: rubric.id, candidates: [id(tripleA), id(tripleB), id(tripleC)].sort() },
    );
    referenceCopies.push(`${rubric.id}/${id(reference)}`);
    answers.forEach((sentences, index) => {
      rows.push({
        candidateId: id(index),
        questionId: rubric.id,
        questionKey: rubric.id,
        answer: sentences.join(' '),
        score: Math.round(random() * 50) / 10,
        maxScore: 5,
        flags: [],
      });
    });
  }
  return { rows, groups, referenceCopies };
}

function shuffled<T>(list: T[], random: () => number): T[] {
  for (let index = list.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [list[index], list[other]] = [list[other], list[index]];
  }
  return list;
}
