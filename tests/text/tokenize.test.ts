import { describe, expect, it } from 'vitest';
import { contentTokens, tokenize, type Token } from '../../src/text/tokenize.js';

function find(tokens: readonly Token[], word: string): Token {
  const token = tokens.find((candidate) => candidate.word === word);
  if (!token) throw new Error(`no token "${word}" in ${tokens.map((t) => t.word).join(' ')}`);
  return token;
}

describe('tokenize: offsets', () => {
  it('points every plain-word token at its place in the original text', () => {
    const text = 'Our  API Gateway routes\tTraffic to 3 Services; then Kafka-based events flow.';
    const tokens = tokenize(text);
    expect(tokens.map((token) => token.word)).toEqual([
      'our',
      'api',
      'gateway',
      'routes',
      'traffic',
      'to',
      '3',
      'services',
      'then',
      'kafka',
      'based',
      'events',
      'flow',
    ]);
    for (const token of tokens) {
      expect(text.slice(token.start, token.end).toLowerCase()).toBe(token.word);
    }
  });

  it('keeps offsets increasing and non-overlapping', () => {
    const tokens = tokenize('First we shard. Then we replicate, cache and monitor!');
    for (let index = 1; index < tokens.length; index += 1) {
      expect(tokens[index].start).toBeGreaterThanOrEqual(tokens[index - 1].end);
      expect(tokens[index].end).toBeGreaterThan(tokens[index].start);
    }
  });

  it('keeps offsets aligned with the original after a letter whose lower case is longer ("İ")', () => {
    // "İ".toLowerCase() is two UTF-16 units, so offsets taken from the lower-cased copy drift by one.
    const text = 'İstanbul caching layer';
    const tokens = tokenize(text);
    const caching = find(tokens, 'caching');
    expect(text.slice(caching.start, caching.end)).toBe('caching');
    const layer = find(tokens, 'layer');
    expect(text.slice(layer.start, layer.end)).toBe('layer');
  });

  it('covers the whole contraction in the original text while looking up its base', () => {
    const text = "It DOESN'T scale";
    const token = find(tokenize(text), 'does');
    expect(text.slice(token.start, token.end)).toBe("DOESN'T");
  });
});

describe('tokenize: stopwords and stems', () => {
  it('marks function words as stopwords and content words not', () => {
    const tokens = tokenize('The cache is in front of the database');
    expect(find(tokens, 'the').isStopword).toBe(true);
    expect(find(tokens, 'is').isStopword).toBe(true);
    expect(find(tokens, 'of').isStopword).toBe(true);
    expect(find(tokens, 'cache').isStopword).toBe(false);
    expect(find(tokens, 'database').isStopword).toBe(false);
    expect(contentTokens(tokens).map((token) => token.word)).toEqual(['cache', 'front', 'database']);
  });

  it('marks negation cues as stopwords so they never count as evidence', () => {
    const tokens = tokenize('not without never');
    expect(tokens.every((token) => token.isStopword)).toBe(true);
  });

  it('gives inflected forms the same stem', () => {
    const [builds, building] = tokenize('builds building');
    expect(builds.stem).toBe(building.stem);
    const [queries, query] = tokenize('queries query');
    expect(queries.stem).toBe(query.stem);
  });
});

describe('tokenize: words that name properties of every object', () => {
  it('stems "constructor", "toString" and "valueOf" as words, not as what Object.prototype holds', () => {
    const stems = tokenize('A constructor, toString and valueOf; one constructor').map((token) => token.stem);
    for (const stem of stems) expect(typeof stem).toBe('string');
    expect(stems.filter((stem) => stem === 'constructor')).toHaveLength(2);
    expect(stems).toContain('1');
  });
});

describe('tokenize: contractions and negation', () => {
  it('splits "don\'t" into the base "do" and negates the following content word', () => {
    const tokens = tokenize("We don't scale horizontally");
    const base = tokens[1];
    expect(base.word).toBe('do');
    expect(base.isStopword).toBe(true);
    expect(find(tokens, 'scale').negated).toBe(true);
    expect(find(tokens, 'we').negated).toBe(false);
  });

  it("maps irregular contractions to their bases (can't → can, won't → will)", () => {
    const tokens = tokenize("can't retry, won't cache");
    expect(tokens.map((token) => token.word)).toEqual(['can', 'retry', 'will', 'cache']);
    expect(find(tokens, 'retry').negated).toBe(true);
    expect(find(tokens, 'cache').negated).toBe(true);
  });

  it('handles the typographic apostrophe like the ASCII one', () => {
    const tokens = tokenize('it doesn’t scale');
    expect(tokens[1].word).toBe('does');
    expect(find(tokens, 'scale').negated).toBe(true);
  });

  it('does not negate content words before the cue, nor the cue itself', () => {
    const tokens = tokenize('Caching does not help');
    expect(find(tokens, 'caching').negated).toBe(false);
    expect(find(tokens, 'not').negated).toBe(false);
    expect(find(tokens, 'help').negated).toBe(true);
  });

  it("ends a relative clause's negation at the main clause's verb: responses that don't change are cached", () => {
    const tokens = tokenize("Responses that don't change often are cached in Redis");
    expect(find(tokens, 'change').negated).toBe(true);
    expect(find(tokens, 'cached').negated).toBe(false);
    expect(find(tokens, 'redis').negated).toBe(false);
  });

  it('keeps a negation outside a relative clause over "is": "I don\'t think it is needed"', () => {
    expect(find(tokenize("I don't think it is needed"), 'needed').negated).toBe(true);
  });

  it('leaves text without a negation cue un-negated', () => {
    expect(tokenize('We scale horizontally with stateless pods').some((token) => token.negated)).toBe(false);
  });

  it('ends the negation scope at punctuation', () => {
    for (const separator of [',', '.', ';', ':', '!', '?']) {
      const tokens = tokenize(`This does not scale${separator} caching helps`);
      expect(find(tokens, 'scale').negated, separator).toBe(true);
      expect(find(tokens, 'caching').negated, separator).toBe(false);
      expect(find(tokens, 'helps').negated, separator).toBe(false);
    }
  });

  it('ends the negation scope at "but"', () => {
    const tokens = tokenize('It does not scale but caching helps');
    expect(find(tokens, 'scale').negated).toBe(true);
    expect(find(tokens, 'caching').negated).toBe(false);
    expect(find(tokens, 'helps').negated).toBe(false);
  });

  it('ends the negation scope at a word opening a new clause', () => {
    for (const opener of ['because', 'so', 'which', 'when', 'if']) {
      const tokens = tokenize(`It does not scale ${opener} it locks the table`);
      expect(find(tokens, 'scale').negated, opener).toBe(true);
      expect(find(tokens, 'locks').negated, opener).toBe(false);
      expect(find(tokens, 'table').negated, opener).toBe(false);
    }
  });

  it('negates only the noun phrase after "no" or "without" ("no limit to the number")', () => {
    const limit = tokenize('There is no limit to the number of constructors');
    expect(find(limit, 'limit').negated).toBe(true);
    expect(find(limit, 'number').negated).toBe(false);
    expect(find(limit, 'constructors').negated).toBe(false);
    const retries = tokenize('without any retries in the client');
    expect(find(retries, 'retries').negated).toBe(true);
    expect(find(retries, 'client').negated).toBe(false);
    const baseCase = tokenize('no base case');
    expect(find(baseCase, 'base').negated).toBe(true);
    expect(find(baseCase, 'case').negated).toBe(true);
  });

  it('lets "not" reach past function words to its object ("does not need a return type")', () => {
    const tokens = tokenize('A constructor does not need a return type');
    expect(find(tokens, 'need').negated).toBe(true);
    expect(find(tokens, 'return').negated).toBe(true);
    expect(find(tokens, 'type').negated).toBe(true);
    expect(find(tokens, 'constructor').negated).toBe(false);
  });

  it('reaches only a few content words past the cue', () => {
    const tokens = tokenize('without retries backoff jitter timeouts logging metrics');
    expect(find(tokens, 'retries').negated).toBe(true);
    expect(find(tokens, 'metrics').negated).toBe(false);
  });
});

describe('tokenize: segments', () => {
  const segmentOf = (text: string, word: string): number => find(tokenize(text), word).segment;

  it('starts at segment 0', () => {
    expect(tokenize('Hello world').map((token) => token.segment)).toEqual([0, 0]);
  });

  it('increments at sentence ends', () => {
    const text = 'Shard the data. Replicate it! Monitor? Done';
    expect(segmentOf(text, 'shard')).toBe(0);
    expect(segmentOf(text, 'replicate')).toBe(1);
    expect(segmentOf(text, 'monitor')).toBe(2);
    expect(segmentOf(text, 'done')).toBe(3);
  });

  it('increments at newlines (bullets) and semicolons', () => {
    const text = '- caching\n- sharding; replication';
    expect(segmentOf(text, 'caching')).toBe(0);
    expect(segmentOf(text, 'sharding')).toBe(1);
    expect(segmentOf(text, 'replication')).toBe(2);
  });

  it('counts a run of separators as one boundary', () => {
    expect(segmentOf('caching.\n\nsharding', 'sharding')).toBe(1);
  });

  it('does not increment at commas', () => {
    expect(segmentOf('caching, sharding, replication', 'replication')).toBe(0);
  });

  it('does not increment at a dot inside "tf.function"', () => {
    const tokens = tokenize('Wrap the step in tf.function for speed');
    expect(tokens.map((token) => `${token.word}#${token.segment}`)).toEqual([
      'wrap#0',
      'the#0',
      'step#0',
      'in#0',
      'tf#0',
      'function#0',
      'for#0',
      'speed#0',
    ]);
  });

  it('does not increment at a decimal point', () => {
    const tokens = tokenize('Python 3.12 is faster');
    expect(tokens.map((token) => `${token.word}#${token.segment}`)).toEqual([
      'python#0',
      '3#0',
      '12#0',
      'is#0',
      'faster#0',
    ]);
  });
});
