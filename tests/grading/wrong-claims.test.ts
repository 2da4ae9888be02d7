import { describe, expect, it } from 'vitest';
import type { Grade } from '../../src/grading/grade-schema.js';
import { createTestGrader } from '../helpers/test-grader.js';

const { grader } = createTestGrader();

const gradeQ = (questionId: string, answer: string) => grader.grade({ questionId, answer });
const statusOf = (grade: Grade, id: string) => grade.keyPoints.find((keyPoint) => keyPoint.id === id)?.status;

/** Every wrong claim is quoted verbatim from the answer and names the point it contradicts. */
function expectQuoted(grade: Grade, answer: string): void {
  for (const claim of grade.misconceptions) expect(answer).toContain(claim.evidence);
}

describe('swapped roles in a contrast the rubric declares', () => {
  const swapped =
    'Graph execution runs operations immediately, which makes debugging easy. Eager execution first builds a computational graph which TensorFlow optimizes. ' +
    'I use graph mode while developing because debugging is easier, and for production I switch to eager mode for better performance.';
  const correct =
    'Eager execution runs operations immediately, which makes debugging easy. Graph execution first builds a computational graph which TensorFlow optimizes. ' +
    'I use eager mode while developing because debugging is easier, and for production I switch to graph mode with tf.function for better performance.';

  it('does not credit a point stated of the other side, and says so with the quote', async () => {
    const grade = await gradeQ('q4', swapped);
    expect(statusOf(grade, 'eager-runs-immediately')).toBe('missing');
    expect(statusOf(grade, 'graph-builds-graph')).toBe('missing');
    expect(grade.misconceptions.map((claim) => claim.keyPointId)).toEqual(
      expect.arrayContaining(['eager-runs-immediately', 'graph-builds-graph']),
    );
    expect(grade.flags).toEqual(expect.arrayContaining(['contradicts_reference', 'needs_review']));
    expect(grade.normalizedScore).toBeLessThanOrEqual(0.2);
    expect(grade.rationale).toContain('It states what is wrong');
    expectQuoted(grade, swapped);
  });

  it('credits the same words with the roles the right way round', async () => {
    const grade = await gradeQ('q4', correct);
    expect(grade.misconceptions).toEqual([]);
    expect(grade.flags).not.toContain('contradicts_reference');
    expect(statusOf(grade, 'eager-runs-immediately')).toBe('covered');
    expect(grade.normalizedScore).toBeGreaterThanOrEqual(0.8);
  });

  it('reads "graph mode is harder to debug" as the contrast made right, not a swap', async () => {
    const answer =
      'Eager mode executes each op right away, so debugging is easy; graph mode is harder to debug, but TensorFlow optimises the traced graph, so it runs faster in production.';
    const grade = await gradeQ('q4', answer);
    expect(grade.misconceptions).toEqual([]);
  });
});

describe('a comparison with a side', () => {
  it('speaks of the side it started with, not the one after "than"', async () => {
    const wrong =
      'I develop in graph mode because errors show up at compile time, so debugging is easier than in eager.';
    const wrongGrade = await gradeQ('q4', wrong);
    expect(wrongGrade.misconceptions.map((claim) => claim.id)).toContain('graph-easier-to-debug');
    expectQuoted(wrongGrade, wrong);
    const right =
      'I develop in eager mode, since debugging is far easier than in graph mode, and switch to graph mode with tf.function for production.';
    const rightGrade = await gradeQ('q4', right);
    expect(rightGrade.misconceptions).toEqual([]);
    expect(statusOf(rightGrade, 'eager-for-development')).toBe('covered');
  });
});

describe("a side's words said of the other side, in words no key point matches in full", () => {
  it('reads "Grappler and XLA optimizations only apply in eager mode" as a swap of the graph point that names them', async () => {
    const answer =
      "Eager execution is lazy and only runs ops when you ask for a value. I'd serve eagerly, because Grappler and XLA optimizations only apply in eager mode.";
    const grade = await gradeQ('q4', answer);
    const claim = grade.misconceptions.find((found) => found.keyPointId === 'graph-builds-graph');
    expect(claim?.id).toBe('swapped_roles:graph-builds-graph');
    expect(claim?.evidence).toContain('optimizations only apply in eager mode');
    expect(statusOf(grade, 'graph-builds-graph')).toBe('missing');
    expectQuoted(grade, answer);
  });

  it('credits the same words said of the right side, and a clause that rules them out of the other', async () => {
    const answer =
      'Eager execution runs each op at once, which is what you want while debugging. Grappler and XLA optimizations apply in graph mode, not in eager mode, so I serve the traced graph in production.';
    const grade = await gradeQ('q4', answer);
    expect(grade.misconceptions).toEqual([]);
  });

  it('reads "with DynamoDB you get joins and ad hoc SQL queries" as PostgreSQL\'s strength given to DynamoDB', async () => {
    const answer =
      'With DynamoDB you get joins and ad hoc SQL queries, while PostgreSQL scales horizontally without effort.';
    const grade = await gradeQ('q13', answer);
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('swapped_roles:query-flexibility');
    expect(grade.flags).toContain('contradicts_reference');
    expectQuoted(grade, answer);
  });
});

describe("the rubric's listed misconceptions", () => {
  it('finds one that moves its point to a side of the contrast the point does not speak of', async () => {
    const answer = 'When a client goes over the rate limit I return a 500.';
    const grade = await gradeQ('q10', answer);
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('rate-limit-returns-500');
    expectQuoted(grade, answer);
  });

  it('but not that side named for another reason in the same answer', async () => {
    const answer =
      'I rate limit per client with a token bucket and answer 429 Too Many Requests with Retry-After; a crash in our own code is a 500.';
    const grade = await gradeQ('q10', answer);
    expect(grade.misconceptions).toEqual([]);
  });

  it('finds a misconception without new words in a sentence that reads far more like it than like its point', async () => {
    const answer =
      "Circuit breaker and backoff with jitter. I don't set explicit timeouts; the client library already stops waiting eventually.";
    const grade = await gradeQ('q11', answer);
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('never-set-timeouts');
    expect(statusOf(grade, 'timeouts')).toBe('missing');
    expectQuoted(grade, answer);
  });

  it('and the one the average states: "average latency tells you enough about intermittent spikes"', async () => {
    const answer = 'Average latency tells you enough about intermittent spikes.';
    expect((await gradeQ('q8', answer)).misconceptions.map((claim) => claim.id)).toContain('average-latency-enough');
  });

  it('but not in the right advice set against it: percentiles rather than the average', async () => {
    const answer =
      "I'd graph p99 and p99.9 latency rather than the average, because the average hides intermittent spikes.";
    expect((await gradeQ('q8', answer)).misconceptions).toEqual([]);
  });

  it('finds a listed misconception with its quote, takes its penalty and unmakes its point', async () => {
    const answer =
      'SQS standard queues deliver every message exactly once, so duplicates are impossible and the consumer does not need to be idempotent. S3 sends an event notification to SQS when a file arrives and Lambda processes it.';
    const grade = await gradeQ('q9', answer);
    const claim = grade.misconceptions.find((found) => found.kind === 'listed');
    expect(claim).toBeDefined();
    expect(claim!.keyPointId).not.toBeNull();
    expect(statusOf(grade, claim!.keyPointId!)).toBe('missing');
    expectQuoted(grade, answer);
    const withoutClaim = await gradeQ(
      'q9',
      'S3 sends an event notification to SQS when a file arrives and Lambda processes it.',
    );
    expect(grade.score).toBeLessThan(withoutClaim.score);
  });

  it('finds one said in fewer of its own words where the sentence reads far more like it than like its point', async () => {
    const answer =
      "SQS standard queues deliver each message exactly once and in order, so I don't need idempotent processing.";
    const grade = await gradeQ('q9', answer);
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('standard-queue-exactly-once');
    expectQuoted(grade, answer);
  });

  it('finds one stated with most of its words where the sentence reads far more like it, unless it is a dismissal the sentence does not make', async () => {
    const wrong = 'I augment the test set as well, to make it harder for the model.';
    expect((await gradeQ('q19', wrong)).misconceptions.map((claim) => claim.id)).toContain('augment-test-images');
    const right =
      'After the fix we graphed worker memory in Datadog with a monitor on sustained growth, and it has stayed flat since.';
    expect((await gradeQ('q2', right)).misconceptions).toEqual([]);
  });

  it('does not take a mistake the answer rules out ("queried rather than grepped") as stated', async () => {
    const answer =
      'Every service logs structured JSON to stdout with the same field names, timestamp, level, service, environment, message, request_id, user_id, using structlog or python-json-logger, so logs are queried rather than grepped. ' +
      'Fluent Bit ships the logs to a central store, ELK or CloudWatch Logs, with retention policies.';
    const grade = await gradeQ('q16', answer);
    expect(grade.misconceptions).toEqual([]);
    expect(statusOf(grade, 'centralized-aggregation')).toBe('covered');
  });

  it('does not see a misconception in an answer that denies it', async () => {
    const answer =
      'SQS standard queues are at-least-once: a message can be delivered more than once, so the Lambda consumer must be idempotent. S3 sends an event notification to SQS when a file arrives.';
    const grade = await gradeQ('q9', answer);
    expect(grade.misconceptions.filter((claim) => claim.kind === 'listed')).toEqual([]);
  });
});

describe('dismissals', () => {
  it('takes "X is bad, so I never …" as dismissing the point, not making it', async () => {
    const answer =
      'Timeouts are bad because they throw away work, so I never set them. Caching is pointless for an unreliable API.';
    const grade = await gradeQ('q11', answer);
    expect(statusOf(grade, 'timeouts')).toBe('missing');
    expect(grade.misconceptions.some((claim) => claim.keyPointId === 'timeouts')).toBe(true);
    expect(grade.flags).toContain('contradicts_reference');
    expectQuoted(grade, answer);
  });

  it('takes "X doesn\'t make sense" and "we keep it switched off" as dismissals', async () => {
    const senseless =
      "Integration tests don't make sense for a model API, since the outputs change between runs; I write unit tests with pytest instead.";
    expect(statusOf(await gradeQ('q12', senseless), 'integration-tests')).toBe('missing');
    const switchedOff = 'Type hints are fine, but mypy slows the build down, so we keep it switched off.';
    const grade = await gradeQ('q3', switchedOff);
    expect(statusOf(grade, 'static-typing')).toBe('missing');
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('dismissal:static-typing');
    expectQuoted(grade, switchedOff);
  });
});

describe('dismissals in other words', () => {
  it('does not credit points named only as over-engineering or as hiding problems', async () => {
    const answer =
      'Dead letter queues just hide problems, so I never configure them. Idempotency is overengineering because failures are rare in AWS.';
    const grade = await gradeQ('q9', answer);
    expect(statusOf(grade, 'dead-letter-queue')).toBe('missing');
    expect(statusOf(grade, 'idempotency')).toBe('missing');
  });

  it('lists each dismissal with its quote and flags the grade for review', async () => {
    const answer =
      'S3 sends events to SQS and Lambda consumes them. Idempotency is overengineering because failures are rare in AWS.';
    const grade = await gradeQ('q9', answer);
    const dismissal = grade.misconceptions.find((claim) => claim.kind === 'dismissal');
    expect(dismissal?.keyPointId).toBe('idempotency');
    expect(dismissal?.evidence).toContain('overengineering');
    expect(grade.flags).toEqual(expect.arrayContaining(['contradicts_reference', 'needs_review']));
    expectQuoted(grade, answer);
  });

  it('does not read dismissing what a point rules out as dismissing the point', async () => {
    const answer =
      'Storing raw datasets in the database is overkill, so I keep them in S3 and store only their location and version in a datasets table.';
    const grade = await gradeQ('q14', answer);
    expect(statusOf(grade, 'dataset-references')).not.toBe('missing');
    expect(grade.misconceptions).toEqual([]);
  });

  it.each([
    [
      'q11',
      'retries-backoff-jitter',
      'Retrying alone is dangerous without backoff, so I back off exponentially with jitter and cap the attempts.',
    ],
    [
      'q5',
      'early-stopping',
      'Training longer without early stopping is pointless once validation loss rises, so an EarlyStopping callback halts training.',
    ],
    [
      'q16',
      'structured-json',
      'Plain-text logs are useless at scale, so every service writes structured JSON logs with a correlation ID.',
    ],
    [
      'q14',
      'model-metadata',
      'Storing model binaries in the database is a bad idea, so the models table keeps metadata and the version, and the artifact stays in S3.',
    ],
  ])(
    'keeps good advice phrased negatively (%s): the point is made and nothing is dismissed',
    async (questionId, pointId, answer) => {
      const grade = await gradeQ(questionId, answer);
      expect(statusOf(grade, pointId)).toBe('covered');
      expect(grade.misconceptions.filter((claim) => claim.kind === 'dismissal')).toEqual([]);
    },
  );

  it('still credits a point made in the clause after a dismissal of something else', async () => {
    const answer =
      'Retrying at once is pointless against a struggling API, so I retry with exponential backoff and random jitter.';
    const grade = await gradeQ('q11', answer);
    expect(statusOf(grade, 'retries-backoff-jitter')).not.toBe('missing');
  });
});

describe('points dismissed in one place and made in another', () => {
  it("takes a dismissal naming two of a point's distinctive words as dismissing the point", async () => {
    const answer =
      "I monitor latency and accuracy with custom metrics. A/B testing isn't really possible with model servers, so I promote the winner to all traffic at once.";
    const grade = await gradeQ('q6', answer);
    expect(statusOf(grade, 'ab-testing')).toBe('missing');
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('dismissal:ab-testing');
    expectQuoted(grade, answer);
  });

  it('takes a short verdict on one distinctive word as dismissing its point: "a validation set isn\'t needed"', async () => {
    const answer =
      "I split the data 80/20 into train and test; a validation set isn't needed, because I tune on the test set.";
    const grade = await gradeQ('q19', answer);
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('dismissal:data-splits');
    expect(statusOf(grade, 'data-splits')).toBe('missing');
  });

  it('takes two distinctive words of one of the point\'s alternatives as naming it: "Kafka and RabbitMQ are overkill"', async () => {
    const answer =
      'Every service is a FastAPI app behind an API gateway, registered in Consul. Kafka and RabbitMQ are overkill for this, so services just call each other over REST.';
    const grade = await gradeQ('q1', answer);
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('dismissal:async-messaging');
    expect(statusOf(grade, 'async-messaging')).toBe('missing');
    expectQuoted(grade, answer);
  });

  it('reads the words a refusal negates as what it refuses: "we don\'t bother watching memory usage afterwards"', async () => {
    const answer =
      "Our inference workers leaked memory; tracemalloc showed sessions never closed, and closing them fixed it. We don't bother watching memory usage afterwards.";
    const grade = await gradeQ('q2', answer);
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('dismissal:monitoring-prevention');
    expectQuoted(grade, answer);
  });

  it('but not a refusal of one side of the contrast for a use: "I wouldn\'t use DynamoDB for ad hoc reporting"', async () => {
    const answer =
      "I wouldn't use DynamoDB for ad hoc reporting with joins; Postgres handles complex queries and transactions.";
    expect((await gradeQ('q13', answer)).misconceptions).toEqual([]);
  });

  it('keeps a fallback to stale data as the caching point, not a dismissal of it', async () => {
    const answer =
      'I cache successful responses for five minutes, and when the provider is down I can serve stale data from the cache instead of failing.';
    const grade = await gradeQ('q11', answer);
    expect(grade.misconceptions).toEqual([]);
    expect(statusOf(grade, 'caching')).not.toBe('missing');
  });

  it('reads the point by what it asks for, whatever it rules out: "backoff just adds latency" dismisses backoff', async () => {
    const answer =
      'On failure I retry immediately, up to 20 times, because a fast retry is more likely to hit a healthy moment, and backoff just adds latency.';
    const grade = await gradeQ('q11', answer);
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('dismissal:retries-backoff-jitter');
    expect(statusOf(grade, 'retries-backoff-jitter')).toBe('missing');
  });

  it('but not a short refusal: "I drop unused ones" (indexes) dismisses no monitoring', async () => {
    const answer =
      'I find the expensive queries with pg_stat_statements and the slow query log, and I drop unused ones since each one slows writes.';
    expect((await gradeQ('q15', answer)).misconceptions).toEqual([]);
  });

  it('leaves a point alone when the dismissal names only one of its words', async () => {
    const answer =
      'FastAPI gives us the OpenAPI docs automatically. The service has a /health endpoint and exposes Prometheus metrics; mocked endpoints are not useful in integration tests.';
    const grade = await gradeQ('q12', answer);
    expect(statusOf(grade, 'health-metrics-endpoints')).toBe('covered');
  });
});

describe('answers with several wrong claims', () => {
  it('make their other points at most partly: naming them is not knowing them', async () => {
    const deploy = "I'd deploy the model behind an API and monitor its latency and prediction quality in production.";
    expect(statusOf(await gradeQ('q21', deploy), 'deploy-monitor')).toBe('covered');
    const wrong =
      'With class imbalance, accuracy is the best metric because it reflects the true distribution: if 95 percent of samples are negative, 95 percent accuracy means the model is doing great. ' +
      "Transformers need heavy preprocessing: remove stopwords, stem every word and lowercase everything before tokenization, otherwise BERT can't read the text. " +
      deploy;
    const grade = await gradeQ('q21', wrong);
    expect(grade.misconceptions.length).toBeGreaterThanOrEqual(2);
    expect(statusOf(grade, 'deploy-monitor')).toBe('partial');
  });
});

describe("a listed misconception's quote", () => {
  it('makes no other point: "store the model weights directly in DynamoDB" is no weights in S3', async () => {
    const answer =
      "I'd store the model weights directly in DynamoDB as a binary attribute, since reads there take single-digit milliseconds, much faster than S3.";
    const grade = await gradeQ('q7', answer);
    expect(grade.misconceptions.map((claim) => claim.id)).toContain('model-weights-in-dynamodb');
    expect(statusOf(grade, 's3-artifacts')).toBe('missing');
    expect(
      statusOf(
        await gradeQ('q7', 'The model weights live in S3 and are loaded once per container during init.'),
        's3-artifacts',
      ),
    ).toBe('covered');
  });
});

describe('points negated where the point states them', () => {
  it('does not credit "FastAPI doesn\'t generate documentation" for generated docs', async () => {
    const answer =
      "FastAPI doesn't generate documentation, so I'd write the OpenAPI YAML by hand and keep it in the wiki.";
    const grade = await gradeQ('q12', answer);
    expect(statusOf(grade, 'openapi-autodocs')).toBe('missing');
    expect(grade.flags).toContain('needs_review');
    expectQuoted(grade, answer);
  });

  it('reads a plain negation earlier in the quote\'s sentence: "Lambda doesn\'t scale by itself, so …"', async () => {
    const answer =
      "Lambda doesn't scale by itself, so you have to put the functions in an auto scaling group with a CPU-based policy to handle more requests.";
    const grade = await gradeQ('q7', answer);
    expect(statusOf(grade, 'autoscaling')).toBe('missing');
    expectQuoted(grade, answer);
  });

  it('still credits the same point stated positively, and a negation the point itself makes', async () => {
    expect(
      statusOf(
        await gradeQ('q12', 'FastAPI generates the OpenAPI documentation from the code, so nobody writes it by hand.'),
        'openapi-autodocs',
      ),
    ).toBe('covered');
    expect(
      statusOf(
        await gradeQ(
          'q9',
          'A message that is not deleted becomes visible again after the visibility timeout and is retried.',
        ),
        'visibility-timeout-retries',
      ),
    ).toBe('covered');
  });
});

describe('quotes that read as a listed mistake', () => {
  it('do not make the point the mistake contradicts: "train for many more epochs" is no early stopping', async () => {
    const grade = await gradeQ(
      'q5',
      'When the model overfits I add more layers and train for many more epochs until it generalizes.',
    );
    expect(statusOf(grade, 'early-stopping')).toBe('missing');
  });
});

describe('the shipped bank', () => {
  it('grades every reference answer full marks, with no wrong claim', async () => {
    for (const rubric of grader.bank.rubrics) {
      const grade = await gradeQ(rubric.id, rubric.referenceAnswer);
      expect({ id: rubric.id, score: grade.score, claims: grade.misconceptions }).toEqual({
        id: rubric.id,
        score: rubric.maxScore,
        claims: [],
      });
    }
  });

  it('has at least four misconceptions per question, and every accepted wording covers its own point and states no wrong claim', async () => {
    for (const rubric of grader.bank.rubrics) {
      const count =
        rubric.misconceptions.length +
        rubric.keyPoints.reduce((sum, keyPoint) => sum + keyPoint.misconceptions.length, 0);
      expect({ id: rubric.id, atLeastFour: count >= 4 }).toEqual({ id: rubric.id, atLeastFour: true });
      for (const keyPoint of rubric.keyPoints) {
        for (const wording of [keyPoint.text, ...keyPoint.alternatives]) {
          const grade = await gradeQ(rubric.id, wording);
          expect({
            id: `${rubric.id}/${keyPoint.id}`,
            wording,
            status: statusOf(grade, keyPoint.id),
            claims: grade.misconceptions.map((claim) => claim.id),
          }).toEqual({
            id: `${rubric.id}/${keyPoint.id}`,
            wording,
            status: 'covered',
            claims: [],
          });
        }
      }
    }
  }, 60_000);
});
