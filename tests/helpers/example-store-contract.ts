import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { hashExamples, type ExampleStore } from '../../src/examples/example-store.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { thrown } from './thrown-error.js';

/** The shipped bank, which every store of the contract is opened on. */
export const contractBank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);

/** How the contract opens the store under test. */
export interface ExampleStoreFixture {
  /** A store on empty storage, of its own (other tests' examples are gone). */
  fresh(): Promise<ExampleStore>;
  /** A second store on the same storage as `store`, as another process (an API replica) opens it. */
  another(store: ExampleStore): Promise<ExampleStore>;
  /** Brings `store` up to date with what other stores changed: what a grade does first. */
  sync(store: ExampleStore): Promise<void>;
  /** Closes what the fixture opened, after the suite. */
  close?(): Promise<void>;
}

/**
 * The behaviour every ExampleStore has, whatever keeps the examples (examples/example-store.ts):
 * run by tests/examples/ for the files and by tests-postgres/ for PostgreSQL.
 */
export function exampleStoreContract(name: string, fixture: ExampleStoreFixture): void {
  describe(`the ExampleStore contract: ${name}`, () => {
    afterAll(async () => fixture.close?.());

    it('stores an example, trimmed and under the bank id, with a new id and the time, and reads it back', async () => {
      const store = await fixture.fresh();
      expect(store.list()).toEqual([]);
      expect(store.hash()).toBeNull();
      const [added] = await store.add([
        {
          questionId: 'q4',
          answer: '  Eager runs ops at once; graphs are traced.\n',
          score: 3,
          note: 'misses deployment',
        },
      ]);
      expect(added.id).toMatch(/^ex-[0-9a-f]{8}$/);
      expect(added).toMatchObject({
        questionId: 'q4',
        answer: 'Eager runs ops at once; graphs are traced.',
        score: 3,
        maxScore: 5,
        note: 'misses deployment',
      });
      expect(added.addedAt).toBe(new Date(added.addedAt ?? '').toISOString());
      expect(store.list('q4')).toEqual([added]);
      expect(store.list('q5')).toEqual([]);
      expect(store.count('q4')).toBe(1);
      expect(store.count('q5')).toBe(0);
      expect(store.get(added.id)).toEqual(added);
      expect(store.get('ex-00000000')).toBeUndefined();
      expect(store.badLines()).toEqual([]);
      expect(store.hash()).toBe(hashExamples([added]));
    });

    it('keeps key-point verdicts and a scale of its own, and reads them back exactly in another store', async () => {
      const store = await fixture.fresh();
      const keyPoint = contractBank.get('q4')?.keyPoints[0].id ?? '';
      const [added] = await store.add([
        {
          questionId: 'q4',
          answer: 'half marks',
          score: 0.5,
          maxScore: 1,
          keyPoints: [{ id: keyPoint, status: 'partial' }],
        },
      ]);
      expect(added).toMatchObject({ maxScore: 1, score: 0.5, keyPoints: [{ id: keyPoint, status: 'partial' }] });
      expect(added.note).toBeUndefined();
      const other = await fixture.another(store);
      expect(other.get(added.id)).toEqual(added);
    });

    it('lists in bank order, then in the order of adding; another store sees the changes and makes its own', async () => {
      const store = await fixture.fresh();
      const first = await store.add([{ questionId: 'q7', answer: 'first', score: 1 }]);
      const more = await store.add([
        { questionId: 'q4', answer: 'second', score: 0.5, maxScore: 1 },
        { questionId: 'q4', answer: 'third', score: 2 },
        { questionId: 'q7', answer: 'fourth', score: 2 },
      ]);
      expect(new Set([...first, ...more].map((example) => example.id)).size).toBe(4);
      expect(store.list('q4').map((example) => example.answer)).toEqual(['second', 'third']);
      const bankOrder = contractBank.rubrics.map((rubric) => rubric.id);
      const expected =
        bankOrder.indexOf('q4') < bankOrder.indexOf('q7')
          ? ['second', 'third', 'first', 'fourth']
          : ['first', 'fourth', 'second', 'third'];
      expect(store.list().map((example) => example.answer)).toEqual(expected);
      const other = await fixture.another(store);
      expect(other.list()).toEqual(store.list());
      expect(other.hash()).toBe(store.hash());
      const [fifth] = await other.add([{ questionId: 'q4', answer: 'fifth', score: 4 }]);
      await fixture.sync(store);
      expect(store.count('q4')).toBe(3);
      expect(store.get(fifth.id)).toEqual(fifth);
      expect(store.hash()).toBe(other.hash());
      expect(store.hash()).toBe(hashExamples(store.list()));
    });

    it.each([
      ['an unknown question', { questionId: 'q99', answer: 'x', score: 1 }, /questionId: no question "q99"/],
      [
        "a score above the question's maximum",
        { questionId: 'q4', answer: 'x', score: 6 },
        /score: 6 is above the maximum 5/,
      ],
      [
        'a score above its own maximum',
        { questionId: 'q4', answer: 'x', score: 2, maxScore: 1 },
        /score: 2 is above the maximum 1/,
      ],
      ['a negative score', { questionId: 'q4', answer: 'x', score: -1 }, /score: must be 0 or more/],
      ['a blank answer', { questionId: 'q4', answer: '  \n', score: 1 }, /answer: is empty/],
      [
        'an unknown key point',
        { questionId: 'q4', answer: 'x', score: 1, keyPoints: [{ id: 'no-such-point', status: 'covered' as const }] },
        /keyPoints: "no-such-point" is not a key point of q4/,
      ],
    ])('refuses %s and stores nothing', async (_name, draft, message) => {
      const store = await fixture.fresh();
      const error = await thrown(() => store.add([draft]));
      expect(error.code).toBe('invalid_input');
      expect(error.message).toMatch(message);
      expect(store.list()).toEqual([]);
      expect((await fixture.another(store)).list()).toEqual([]);
    });

    it('stores all of several drafts or none, naming each bad one by its source', async () => {
      const store = await fixture.fresh();
      const drafts = [
        { questionId: 'q4', answer: 'fine', score: 1, source: 'graded.jsonl:1' },
        { questionId: 'q99', answer: 'unknown question', score: 1, source: 'graded.jsonl:2' },
        { questionId: 'q5', answer: 'too high', score: 9, source: 'graded.jsonl:3' },
      ];
      expect(store.problems(drafts)).toEqual([
        'graded.jsonl:2: questionId: no question "q99" in the bank',
        'graded.jsonl:3: score: 9 is above the maximum 5',
      ]);
      expect(store.problems(drafts.slice(0, 1))).toEqual([]);
      const error = await thrown(() => store.add(drafts));
      expect(error.message).toMatch(
        /^2 of 3 examples cannot be stored, so none was: graded\.jsonl:2: .*; graded\.jsonl:3: /,
      );
      expect(store.list()).toEqual([]);
    });

    it('stores an example under the id it is given, and refuses an id stored already, storing none of that add', async () => {
      const store = await fixture.fresh();
      const [chosen] = await store.add([{ questionId: 'q4', answer: 'chosen id', score: 1, id: 'ex-c0ffee00' }]);
      expect(chosen.id).toBe('ex-c0ffee00');
      const other = await fixture.another(store);
      const again = await thrown(() =>
        other.add([
          { questionId: 'q5', answer: 'a new one', score: 1 },
          { questionId: 'q4', answer: 'same id', score: 2, id: 'ex-c0ffee00' },
        ]),
      );
      expect(again.code).toBe('invalid_input');
      expect(again.message).toBe('an example "ex-c0ffee00" is stored already');
      const twice = await thrown(() =>
        store.add([
          { questionId: 'q5', answer: 'one', score: 1, id: 'ex-twice000' },
          { questionId: 'q5', answer: 'two', score: 1, id: 'ex-twice000' },
        ]),
      );
      expect(twice.code).toBe('invalid_input');
      await fixture.sync(store);
      expect(store.list()).toEqual([chosen]);
    });

    it('removes an example by id (one another store added too), and says when the id is unknown', async () => {
      const store = await fixture.fresh();
      const [kept, removed] = await store.add([
        { questionId: 'q4', answer: 'kept', score: 1 },
        { questionId: 'q4', answer: 'removed', score: 2 },
      ]);
      expect(await store.remove(removed.id)).toEqual(removed);
      expect(store.list('q4')).toEqual([kept]);
      expect(store.get(removed.id)).toBeUndefined();
      expect(store.hash()).toBe(hashExamples([kept]));
      const other = await fixture.another(store);
      const [theirs] = await other.add([{ questionId: 'q7', answer: 'added elsewhere', score: 1 }]);
      await fixture.sync(store);
      expect(await store.remove(theirs.id)).toEqual(theirs);
      await store.remove(kept.id);
      expect(store.list()).toEqual([]);
      expect(store.hash()).toBeNull();
      const error = await thrown(() => store.remove('ex-00000000'));
      expect(error.code).toBe('not_found');
      expect(error.message).toContain('ex-00000000');
      await fixture.sync(other);
      expect(other.list()).toEqual([]);
    });

    it('says a question is not in the bank when asked for its examples', async () => {
      const store = await fixture.fresh();
      for (const read of [() => store.list('q99'), () => store.count('q99'), () => store.badLines('q99')]) {
        expect(read).toThrow(AnswerkeyError);
        try {
          read();
        } catch (error) {
          expect((error as AnswerkeyError).code).toBe('question_not_found');
        }
      }
    });

    it('hashes what the index embeds: the same examples hash alike in both stores, a change moves it', async () => {
      const store = await fixture.fresh();
      const [example] = await store.add([{ questionId: 'q4', answer: 'aaaa', score: 1 }]);
      const hash = store.hash();
      expect(hash).toBe(hashExamples([example]));
      expect(hashExamples([{ ...example, note: 'a note', score: 5 }])).toBe(hash);
      await store.add([{ questionId: 'q5', answer: 'bbbb', score: 1 }]);
      expect(store.hash()).not.toBe(hash);
      expect(store.hash()).toBe(hashExamples(store.list()));
    });
  });
}
