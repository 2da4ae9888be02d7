import { describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { WordVectors } from '../../src/embeddings/word-vectors.js';
import { createBankSpelling } from '../../src/retrieval/bank-spelling.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';

const correct = createBankSpelling(
  loadQuestionBank(DEFAULT_PATHS.bankDirectory),
  WordVectors.open(DEFAULT_PATHS.vectorsPath),
);

describe('bank spelling', () => {
  it('mends a typo of a bank word: a letter dropped, added, replaced or two swapped', () => {
    expect(correct('how do tf eagr mode and graph mode differ?')).toBe('how do tf eager mode and graph mode differ?');
    expect(correct('stop a kerras model from overfitting')).toBe('stop a keras model from overfitting');
    expect(correct('Eagar execution')).toBe('eager execution');
    expect(correct('grpah mode')).toBe('graph mode');
  });

  it('leaves common English words, short words and words of the bank alone', () => {
    const query = 'what form does the from clause take in a dynamo table, and why use tf';
    expect(correct(query)).toBe(query);
  });

  it('leaves a word that is no typo of any bank word as it was', () => {
    expect(correct('zyxwvut kubernetes')).toBe('zyxwvut kubernetes');
  });
});
