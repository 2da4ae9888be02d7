import { isAbsolute, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigOverrides } from '../../src/config/config.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';

type Environment = Record<string, string | undefined>;

/** The shipped default is tuned from time to time; the tests only need it to be a valid one. */
const DEFAULT_THRESHOLD = resolveConfig({}, {}).matchThreshold;

function configError(overrides: ConfigOverrides, environment: Environment): AnswerkeyError {
  try {
    resolveConfig(overrides, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(AnswerkeyError);
    const answerkeyError = error as AnswerkeyError;
    expect(answerkeyError.code).toBe('invalid_setting');
    expect(answerkeyError.message).not.toContain('\n');
    return answerkeyError;
  }
  throw new Error('resolveConfig did not throw');
}

describe('resolveConfig defaults', () => {
  it('uses the shipped paths and local settings with no flags and an empty environment', () => {
    const config = resolveConfig({}, {});
    expect(config.bankDirectory).toBe(DEFAULT_PATHS.bankDirectory);
    expect(config.indexDirectory).toBe(DEFAULT_PATHS.indexDirectory);
    expect(config.vectorsPath).toBe(DEFAULT_PATHS.vectorsPath);
    expect(config.weightsPath).toBe(DEFAULT_PATHS.weightsPath);
    expect(config.embedder).toBe('local');
    expect(config.matchThreshold).toBeGreaterThan(0);
    expect(config.matchThreshold).toBeLessThan(1);
    expect(config.indexRebuild).toBe('auto');
    expect(config.openai.apiKey).toBeUndefined();
    expect(config.openai.baseUrl).toBeUndefined();
    expect(config.openai.embeddingModel).toBe('text-embedding-3-small');
  });

  it('does not read process.env when an environment is given', () => {
    const saved = process.env.ANSWERKEY_MATCH_THRESHOLD;
    process.env.ANSWERKEY_MATCH_THRESHOLD = DEFAULT_THRESHOLD === 0.95 ? '0.9' : '0.95';
    try {
      expect(resolveConfig({}, {}).matchThreshold).toBe(DEFAULT_THRESHOLD);
    } finally {
      if (saved === undefined) delete process.env.ANSWERKEY_MATCH_THRESHOLD;
      else process.env.ANSWERKEY_MATCH_THRESHOLD = saved;
    }
  });
});

describe('resolveConfig precedence: flag, then environment, then default', () => {
  const environment: Environment = {
    ANSWERKEY_BANK_DIR: '/env/bank',
    ANSWERKEY_INDEX_DIR: '/env/index',
    ANSWERKEY_VECTORS_PATH: '/env/vectors.bin',
    ANSWERKEY_WEIGHTS_PATH: '/env/weights.json',
    ANSWERKEY_EMBEDDER: 'openai',
    ANSWERKEY_MATCH_THRESHOLD: '0.83',
    OPENAI_API_KEY: 'sk-test',
  };

  it('takes the environment over the defaults', () => {
    const config = resolveConfig({}, environment);
    expect(config.bankDirectory).toBe(resolve('/env/bank'));
    expect(config.indexDirectory).toBe(resolve('/env/index'));
    expect(config.vectorsPath).toBe(resolve('/env/vectors.bin'));
    expect(config.weightsPath).toBe(resolve('/env/weights.json'));
    expect(config.embedder).toBe('openai');
    expect(config.matchThreshold).toBe(0.83);
  });

  it('takes flags over the environment', () => {
    const config = resolveConfig(
      {
        bankDirectory: '/flag/bank',
        indexDirectory: '/flag/index',
        vectorsPath: '/flag/vectors.bin',
        weightsPath: '/flag/weights.json',
        embedder: 'local',
        matchThreshold: '0.27',
      },
      environment,
    );
    expect(config.bankDirectory).toBe(resolve('/flag/bank'));
    expect(config.indexDirectory).toBe(resolve('/flag/index'));
    expect(config.vectorsPath).toBe(resolve('/flag/vectors.bin'));
    expect(config.weightsPath).toBe(resolve('/flag/weights.json'));
    expect(config.embedder).toBe('local');
    expect(config.matchThreshold).toBe(0.27);
  });

  it('accepts a numeric match threshold flag', () => {
    expect(resolveConfig({ matchThreshold: 0.42 }, environment).matchThreshold).toBe(0.42);
  });

  it('treats blank environment variables as unset', () => {
    const config = resolveConfig(
      {},
      { ANSWERKEY_BANK_DIR: '   ', ANSWERKEY_MATCH_THRESHOLD: '', ANSWERKEY_EMBEDDER: ' ' },
    );
    expect(config.bankDirectory).toBe(DEFAULT_PATHS.bankDirectory);
    expect(config.matchThreshold).toBe(DEFAULT_THRESHOLD);
    expect(config.embedder).toBe('local');
  });

  it('trims surrounding whitespace from environment values', () => {
    const config = resolveConfig({}, { ANSWERKEY_MATCH_THRESHOLD: ' 0.7 ', ANSWERKEY_EMBEDDER: ' local ' });
    expect(config.matchThreshold).toBe(0.7);
    expect(config.embedder).toBe('local');
  });

  it('lets a valid flag override an invalid environment value', () => {
    expect(resolveConfig({ matchThreshold: '0.5' }, { ANSWERKEY_MATCH_THRESHOLD: 'abc' }).matchThreshold).toBe(0.5);
  });

  it('reads ANSWERKEY_INDEX_REBUILD and ANSWERKEY_EMBEDDING_MODEL from the environment', () => {
    const config = resolveConfig(
      {},
      { ANSWERKEY_INDEX_REBUILD: 'never', ANSWERKEY_EMBEDDING_MODEL: 'text-embedding-3-large' },
    );
    expect(config.indexRebuild).toBe('never');
    expect(config.openai.embeddingModel).toBe('text-embedding-3-large');
  });
});

describe('resolveConfig paths', () => {
  it('resolves relative flag paths to absolute ones against the working directory', () => {
    const config = resolveConfig(
      { bankDirectory: 'my-rubrics', indexDirectory: './idx', vectorsPath: '../vectors.bin', weightsPath: 'w.json' },
      {},
    );
    for (const path of [config.bankDirectory, config.indexDirectory, config.vectorsPath, config.weightsPath])
      expect(isAbsolute(path)).toBe(true);
    expect(config.bankDirectory).toBe(resolve(process.cwd(), 'my-rubrics'));
    expect(config.indexDirectory).toBe(resolve(process.cwd(), 'idx'));
    expect(config.vectorsPath).toBe(resolve(process.cwd(), '..', 'vectors.bin'));
    expect(config.weightsPath).toBe(resolve(process.cwd(), 'w.json'));
  });

  it('resolves relative environment paths too', () => {
    const config = resolveConfig({}, { ANSWERKEY_BANK_DIR: 'bank-from-env', ANSWERKEY_INDEX_DIR: 'index-from-env' });
    expect(config.bankDirectory).toBe(resolve(process.cwd(), 'bank-from-env'));
    expect(config.indexDirectory).toBe(resolve(process.cwd(), 'index-from-env'));
  });
});

describe('resolveConfig validation', () => {
  it.each(['2', 'abc', '-0.1'])(
    'rejects ANSWERKEY_MATCH_THRESHOLD=%j as invalid_setting naming the setting',
    (value) => {
      const error = configError({}, { ANSWERKEY_MATCH_THRESHOLD: value });
      expect(error.message).toMatch(/match.?threshold/i);
      expect(error.hint).toBeTruthy();
    },
  );

  it('rejects an out-of-range --match-threshold flag', () => {
    expect(configError({ matchThreshold: '1.5' }, {}).message).toMatch(/match.?threshold/i);
  });

  it.each([
    [
      { matchThreshold: '2' },
      'invalid setting --match-threshold / ANSWERKEY_MATCH_THRESHOLD: must be at most 1, not "2"',
    ],
    [{ exampleCount: '-1' }, 'invalid setting --examples / ANSWERKEY_EXAMPLE_COUNT: must be at least 0, not "-1"'],
    [{ samples: '0' }, 'invalid setting --samples / ANSWERKEY_LLM_SAMPLES: must be at least 1, not "0"'],
    [{ samples: '1.5' }, 'invalid setting --samples / ANSWERKEY_LLM_SAMPLES: must be a whole number, not "1.5"'],
    [{ timeoutMs: 'soon' }, 'invalid setting --timeout-ms / ANSWERKEY_LLM_TIMEOUT_MS: must be a number, not "soon"'],
    [{ mode: 'remote' }, 'invalid setting --mode / ANSWERKEY_MODE: must be one of local, llm, not "remote"'],
  ] satisfies Array<[ConfigOverrides, string]>)('says what %j must be, and what was given', (overrides, message) => {
    expect(configError(overrides, {}).message).toBe(message);
  });

  it.each([
    ['--index-dir / ANSWERKEY_INDEX_DIR', { indexDirectory: '/proc/answerkey-index' }],
    ['--examples-dir / ANSWERKEY_EXAMPLES_DIR', { examplesDirectory: '/proc/answerkey-examples' }],
  ] satisfies Array<[string, ConfigOverrides]>)(
    "refuses %s on the kernel's proc file system, where creating a folder never ends",
    (setting, overrides) => {
      const error = configError(overrides, {});
      expect(error.message).toContain(`invalid setting ${setting}: /proc/answerkey-`);
      expect(error.hint).toContain(setting);
    },
  );

  it('refuses ANSWERKEY_CACHE_DIR under /proc too, and accepts a folder still to be created on disk', () => {
    expect(configError({}, { ANSWERKEY_CACHE_DIR: '/proc/self/answerkey-cache' }).message).toContain(
      'ANSWERKEY_CACHE_DIR',
    );
    expect(resolveConfig({ indexDirectory: '/tmp/answerkey-not-yet/index' }, {}).indexDirectory).toBe(
      '/tmp/answerkey-not-yet/index',
    );
  });

  it('accepts the ends of the 0–1 range', () => {
    expect(resolveConfig({}, { ANSWERKEY_MATCH_THRESHOLD: '0' }).matchThreshold).toBe(0);
    expect(resolveConfig({}, { ANSWERKEY_MATCH_THRESHOLD: '1' }).matchThreshold).toBe(1);
  });

  it('rejects an unknown embedder naming the setting', () => {
    expect(configError({}, { ANSWERKEY_EMBEDDER: 'cohere' }).message).toContain('embedder');
    expect(configError({ embedder: 'word2vec' }, {}).message).toContain('embedder');
  });

  it('rejects an unknown ANSWERKEY_INDEX_REBUILD', () => {
    expect(configError({}, { ANSWERKEY_INDEX_REBUILD: 'sometimes' }).message).toMatch(/index.?rebuild/i);
  });

  it('needs OPENAI_API_KEY for the openai embedder, and says so in the hint', () => {
    const error = configError({ embedder: 'openai' }, {});
    expect(error.hint).toContain('OPENAI_API_KEY');
    const fromEnvironment = configError({}, { ANSWERKEY_EMBEDDER: 'openai', OPENAI_API_KEY: '  ' });
    expect(fromEnvironment.hint).toContain('OPENAI_API_KEY');
  });

  it('accepts the openai embedder with a key, and a URL as OPENAI_BASE_URL', () => {
    const config = resolveConfig(
      { embedder: 'openai' },
      { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://localhost:8080/v1' },
    );
    expect(config.embedder).toBe('openai');
    expect(config.openai.apiKey).toBe('sk-test');
    expect(config.openai.baseUrl).toBe('http://localhost:8080/v1');
  });

  it('rejects an OPENAI_BASE_URL that is not a URL, naming it', () => {
    const error = configError({}, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'not a url' });
    expect(error.message).toMatch(/baseUrl|OPENAI_BASE_URL/);
  });
});

describe('resolveConfig graded examples', () => {
  it("keeps examples in the bank's examples folder and uses the 10 nearest by default", () => {
    expect(resolveConfig({}, {}).examplesDirectory).toBe(resolve(DEFAULT_PATHS.bankDirectory, 'examples'));
    expect(resolveConfig({}, { ANSWERKEY_BANK_DIR: '/env/bank' }).examplesDirectory).toBe(
      resolve('/env/bank/examples'),
    );
    expect(resolveConfig({}, {}).exampleCount).toBe(10);
  });

  it('takes --examples-dir over ANSWERKEY_EXAMPLES_DIR, and --examples over ANSWERKEY_EXAMPLE_COUNT', () => {
    const environment = { ANSWERKEY_EXAMPLES_DIR: '/env/examples', ANSWERKEY_EXAMPLE_COUNT: '3' };
    expect(resolveConfig({}, environment)).toMatchObject({
      examplesDirectory: resolve('/env/examples'),
      exampleCount: 3,
    });
    expect(resolveConfig({ examplesDirectory: 'mine', exampleCount: '0' }, environment)).toMatchObject({
      examplesDirectory: resolve(process.cwd(), 'mine'),
      exampleCount: 0,
    });
  });

  it.each(['-1', '2.5', 'many'])('rejects ANSWERKEY_EXAMPLE_COUNT=%j naming the setting', (value) => {
    expect(configError({}, { ANSWERKEY_EXAMPLE_COUNT: value }).message).toContain(
      '--examples / ANSWERKEY_EXAMPLE_COUNT',
    );
  });
});

describe('the database URL', () => {
  it('is absent unless given: the file stores, as before', () => {
    expect(resolveConfig({}, {}).databaseUrl).toBeUndefined();
    expect(resolveConfig({}, { ANSWERKEY_DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });

  it('takes --database-url over ANSWERKEY_DATABASE_URL', () => {
    const environment = { ANSWERKEY_DATABASE_URL: 'postgres://env@127.0.0.1/answerkey' };
    expect(resolveConfig({}, environment).databaseUrl).toBe('postgres://env@127.0.0.1/answerkey');
    expect(resolveConfig({ databaseUrl: 'postgresql://flag@db:5433/team' }, environment).databaseUrl).toBe(
      'postgresql://flag@db:5433/team',
    );
  });

  it.each(['http://ana:hunter2@db/answerkey', 'ana:hunter2@db/answerkey', 'postgres://ana:hunter2@db:port/x'])(
    'rejects %j naming the setting, never the password',
    (value) => {
      const error = configError({}, { ANSWERKEY_DATABASE_URL: value });
      expect(error.message).toContain('--database-url / ANSWERKEY_DATABASE_URL');
      expect(error.message).toContain('must be a postgres:// or postgresql:// URL');
      expect(error.message).not.toContain('hunter2');
    },
  );
});
