import type { QueryCorrector } from './bank-spelling.js';

/**
 * Short forms interviewers type, and the words they stand for. Our own small list from the field
 * (not from the bank's wording): GloVe knows most of these abbreviations only as other words
 * ("tf", "db", "prod") or not at all, so neither the index nor the word alignment can read them.
 * Keys are lower case; a match is a whole word, or a run of words for the multi-word forms.
 */
const ALIASES: ReadonlyArray<readonly [string, string]> = [
  // Tools and services.
  ['tf', 'tensorflow'],
  ['k8s', 'kubernetes'],
  ['kube', 'kubernetes'],
  ['dynamo', 'dynamodb'],
  ['ddb', 'dynamodb'],
  ['postgres', 'postgresql'],
  ['pg', 'postgresql'],
  ['psql', 'postgresql'],
  ['mongo', 'mongodb'],
  ['cw', 'cloudwatch'],
  ['apigw', 'api gateway'],
  ['gw', 'gateway'],
  ['llama index', 'llamaindex'],
  ['lang chain', 'langchain'],
  ['py', 'python'],
  ['tfx', 'tensorflow extended'],
  ['tflite', 'tensorflow lite'],
  // The field's abbreviations.
  ['ml', 'machine learning'],
  ['dl', 'deep learning'],
  ['cv', 'computer vision'],
  ['nlp', 'nlp natural language processing'],
  ['llm', 'large language model'],
  ['llms', 'large language models'],
  ['rag', 'rag retrieval augmented generation'],
  ['convnet', 'cnn convolutional network'],
  ['convnets', 'cnn convolutional networks'],
  ['convolutional neural network', 'cnn convolutional neural network'],
  ['convolutional neural networks', 'cnn convolutional neural networks'],
  ['nn', 'neural network'],
  ['db', 'database'],
  ['dbs', 'databases'],
  ['rdbms', 'relational database'],
  ['sql db', 'sql database'],
  ['dlq', 'dead letter queue'],
  ['etl', 'extract transform load pipeline'],
  ['e2e', 'end to end'],
  ['ci/cd', 'continuous integration and deployment'],
  ['ci', 'continuous integration'],
  ['cd', 'continuous deployment'],
  ['auth', 'authentication'],
  ['authn', 'authentication'],
  ['authz', 'authorization'],
  ['hparams', 'hyperparameters'],
  ['hyperparams', 'hyperparameters'],
  ['lr', 'learning rate'],
  ['oom', 'out of memory'],
  ['3rd', 'third'],
  ['tech debt', 'technical debt'],
  ['3rd party', 'third party'],
  // Casual shortenings.
  ['prod', 'production'],
  ['perf', 'performance'],
  ['exec', 'execution'],
  ['infra', 'infrastructure'],
  ['env', 'environment'],
  ['config', 'configuration'],
  ['repo', 'repository'],
  ['msg', 'message'],
  ['msgs', 'messages'],
  ['req', 'request'],
  ['reqs', 'requests'],
  ['resp', 'response'],
  ['svc', 'service'],
  ['svcs', 'services'],
  ['docs', 'documentation'],
  ['comms', 'communication'],
  ['obs', 'observability'],
  ['w/', 'with'],
  ['w/o', 'without'],
  ['thru', 'through'],
  // British spellings: their stems differ from the bank's American ones.
  ['optimise', 'optimize'],
  ['optimised', 'optimized'],
  ['optimising', 'optimizing'],
  ['optimisation', 'optimization'],
  ['optimisations', 'optimizations'],
  ['normalisation', 'normalization'],
  ['analyse', 'analyze'],
  ['analysing', 'analyzing'],
  ['behaviour', 'behavior'],
  ['prioritise', 'prioritize'],
  ['serialisation', 'serialization'],
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** "llama index", "llama-index" and "llama  index" are one key. */
const normalize = (text: string) => text.toLowerCase().replace(/[\s-]+/g, ' ');

const EXPANSIONS = new Map(ALIASES.map(([short, long]) => [normalize(short), long]));
// Longest first, so "llama index" wins over a shorter form; "tf" before a dot stays ("tf.function").
const PATTERN = new RegExp(
  `(?<![\\w./-])(${[...EXPANSIONS.keys()]
    .sort((left, right) => right.length - left.length)
    .map((short) => escape(short).replace(/ /g, '[\\s-]+'))
    .join('|')})(?![\\w.]|[-/]\\w)`,
  'gi',
);

/** Rewrites the short forms of a query into the words they stand for ("dynamo vs postgres" → "dynamodb vs postgresql"). */
export const expandAliases: QueryCorrector = (query) =>
  query.replace(PATTERN, (found) => EXPANSIONS.get(normalize(found)) ?? found);
