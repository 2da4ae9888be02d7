import { z } from 'zod';
import { gradeIdOf } from '../grading/grade-id.js';
import { gradeSchema } from '../grading/grade-schema.js';
import { reviewRequestSchema } from '../reviews/review-schema.js';
import {
  batchResponseSchema,
  exampleCreatedSchema,
  exampleListSchema,
  exampleRequestSchema,
  exampleSchema,
  gradeRequestSchema,
  healthSchema,
  readinessSchema,
  lookupResponseSchema,
  MAX_EXAMPLES_PER_PAGE,
  MAX_HEADER_BYTES,
  MAX_QUESTION_CHARACTERS,
  problemSchema,
  reviewCreatedSchema,
  questionDetailSchema,
  questionListSchema,
} from './api-schemas.js';

type JsonObject = Record<string, unknown>;

function component(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonObject {
  const { $schema: _dropped, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject, example?: unknown) => ({
  'application/json': { schema, ...(example === undefined ? {} : { example }) },
});
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

const EXAMPLE_ANSWER =
  'Eager mode runs each op as soon as it is called, so I can debug with print and pdb while prototyping. ' +
  'Graph mode traces the function with tf.function into a graph TensorFlow can optimise and export as a SavedModel for serving.';

const EXAMPLE_GRADED_ANSWER =
  'Eager mode runs each op immediately, so it is easy to debug; graph mode traces the function with tf.function so TensorFlow can optimise it.';
/** The id of the grade of EXAMPLE_GRADED_ANSWER to q4 (maximum 5), which the review example names. */
const DOCUMENTED_GRADE_ID = gradeIdOf({
  questionId: 'q4',
  question: '',
  referenceAnswer: '',
  maxScore: 5,
  answer: EXAMPLE_GRADED_ANSWER,
});
/** The id the DELETE example names. */
export const DOCUMENTED_EXAMPLE_ID = 'ex-0123abcd';

const COMMON_ERRORS = {
  '401': problem('No API key, or an invalid one (only when keys are configured)'),
  '403': problem('The API key lacks the scope'),
  '429': problem('Rate limit exceeded; see Retry-After'),
  '431': problem(
    `The request line and headers are over ${MAX_HEADER_BYTES.toLocaleString('en-US')} bytes (a long URL): shorten them`,
  ),
};

/** Every POST: the server reads its body only as JSON. */
const NOT_JSON = { '415': problem('The body is not sent as JSON: set Content-Type: application/json') };

const MALFORMED_ID = 'The id in the path has a malformed percent-escape (encode it with encodeURIComponent)';

const EXAMPLE_WRITE_ERRORS = {
  ...COMMON_ERRORS,
  '403': problem('The API key lacks the examples scope'),
  '429': problem('Rate limit exceeded (changes to graded examples have a tighter one of their own); see Retry-After'),
  '503': problem('Another process is changing the same examples file; try again'),
  '507': problem("The server's disk (or its quota) is full: nothing was stored; its operator must free space"),
};

/** The OpenAPI 3.1 description of the API, generated from the zod schemas the routes validate with. */
export function openApiDocument(version: string): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'answerkey',
      version,
      description:
        'Grades free-text interview answers against a model answer and rubric, and says why. Errors are application/problem+json. ' +
        'When the server has API keys configured, send `Authorization: Bearer <key>`. Scopes: `read` allows the GETs under /v1, ' +
        '`grade` the grading POSTs, and `examples` storing and deleting graded examples and reviewing grades (it includes `grade` and `read`). ' +
        'A key configured as a bare token has `grade` and `read`; `token:read` only `read`; `token:examples` all three.',
    },
    servers: [{ url: '/' }],
    security: [{}, { bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        GradeRequest: component(gradeRequestSchema, 'input'),
        Grade: component(gradeSchema),
        BatchRequest: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', minItems: 1, items: ref('GradeRequest') } },
          additionalProperties: false,
        },
        BatchResponse: component(batchResponseSchema),
        QuestionList: component(questionListSchema),
        Question: component(questionDetailSchema),
        LookupResponse: component(lookupResponseSchema),
        ExampleRequest: component(exampleRequestSchema, 'input'),
        Example: component(exampleSchema),
        ExampleCreated: component(exampleCreatedSchema),
        ExampleList: component(exampleListSchema),
        ReviewRequest: component(reviewRequestSchema, 'input'),
        ReviewCreated: component(reviewCreatedSchema),
        Health: component(healthSchema),
        Readiness: component(readinessSchema),
        Problem: component(problemSchema),
      },
    },
    paths: {
      '/v1/grade': {
        post: {
          operationId: 'grade',
          summary: 'Grade one answer',
          description:
            'The question by bank id (questionId), by text (question; matched against the bank), or inline (question + referenceAnswer).',
          requestBody: {
            required: true,
            content: json(ref('GradeRequest'), { questionId: 'q4', answer: EXAMPLE_ANSWER }),
          },
          responses: {
            '200': { description: 'The grade', content: json(ref('Grade')) },
            '400': problem(
              'The body is empty, not JSON, or not a valid grade request (among them questionId and a question that matches another entry)',
            ),
            '404': problem('No bank question matches'),
            '413': problem('The body is over the server limit (ANSWERKEY_BODY_LIMIT, 256kb by default): shorten it'),
            '501': problem('LLM mode is not available on this server'),
            ...NOT_JSON,
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/grade/batch': {
        post: {
          operationId: 'gradeBatch',
          summary: 'Grade several answers; a failed item is reported in its place, the rest are graded',
          requestBody: {
            required: true,
            content: json(ref('BatchRequest'), {
              items: [
                { questionId: 'q4', answer: EXAMPLE_ANSWER },
                {
                  question: 'What is a stack?',
                  referenceAnswer: 'A last-in, first-out collection.',
                  answer: 'LIFO: you pop what you pushed last.',
                },
              ],
            }),
          },
          responses: {
            '200': { description: 'One result per item, in order', content: json(ref('BatchResponse')) },
            '400': problem('The body is empty, not JSON, or not a batch'),
            '413': problem(
              'Too many items (ANSWERKEY_BATCH_MAX_ITEMS) or too large a body (ANSWERKEY_BODY_LIMIT): split it into several requests',
            ),
            ...NOT_JSON,
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/questions': {
        get: {
          operationId: 'listQuestions',
          summary: 'The question bank',
          responses: { '200': { description: 'Every question', content: json(ref('QuestionList')) }, ...COMMON_ERRORS },
        },
      },
      '/v1/questions/{id}': {
        get: {
          operationId: 'getQuestion',
          summary: 'One question with its reference answer and key points',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'q4' }],
          responses: {
            '200': { description: 'The rubric', content: json(ref('Question')) },
            '400': problem(MALFORMED_ID),
            '404': problem('No such question (GET /v1/questions lists the ids)'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/lookup': {
        get: {
          operationId: 'lookup',
          summary: 'Nearest bank entries to a question (or to an answer, by its reference answer)',
          parameters: [
            {
              name: 'q',
              in: 'query',
              required: true,
              description: `A question, or with by=answer an answer to find the question of: 3 to ${MAX_QUESTION_CHARACTERS.toLocaleString('en-US')} characters, so that the URL fits the server's ${MAX_HEADER_BYTES.toLocaleString('en-US')}-byte limit on the request line and headers even fully percent-encoded.`,
              schema: { type: 'string', minLength: 3, maxLength: MAX_QUESTION_CHARACTERS },
              example: 'how would you stop a keras model from overfitting',
            },
            {
              name: 'by',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: ['question', 'answer'], default: 'question' },
            },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 20, default: 3 },
            },
          ],
          responses: {
            '200': { description: 'Nearest entries, best first', content: json(ref('LookupResponse')) },
            '400': problem(
              `Bad query: q shorter than 3 or longer than ${MAX_QUESTION_CHARACTERS.toLocaleString('en-US')} characters, an unknown field`,
            ),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/examples': {
        post: {
          operationId: 'addExample',
          summary: 'Store a graded answer as an example for grading that question',
          description:
            "Answered once the example is embedded into the index (changes made together share one rebuild); grading answers to the same question then uses the nearest ones. maxScore defaults to the question's. With an Idempotency-Key, a retried request stores the example once: a retry answers 200 with the original (header Idempotent-Replayed: true), across server restarts, for as long as the example is stored.",
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'A key of your own for this example (a UUID), sent again unchanged on each retry: 1–255 visible ASCII characters, kept apart per API key.',
              schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
              example: '5f0c3a1e-8f0b-4c4b-9a55-0c1b8c6f2d1a',
            },
          ],
          requestBody: {
            required: true,
            content: json(ref('ExampleRequest'), {
              questionId: 'q4',
              answer: EXAMPLE_GRADED_ANSWER,
              score: 3,
              note: 'Misses what graph mode is for in deployment.',
            }),
          },
          responses: {
            '201': {
              description:
                'The stored example, with its id; with a warning when the index could not be rebuilt to include it (the example is stored all the same)',
              content: json(ref('ExampleCreated')),
            },
            '200': {
              description: 'A retry with the Idempotency-Key of an example already stored: that example, stored once',
              content: json(ref('ExampleCreated')),
            },
            '400': problem(
              'The body is not a valid example: an unknown question, a score above maxScore, an empty answer; or a malformed Idempotency-Key',
            ),
            '422': problem('The Idempotency-Key was used for a different example; nothing was stored'),
            '413': problem('The body is too large'),
            ...NOT_JSON,
            ...EXAMPLE_WRITE_ERRORS,
          },
        },
        get: {
          operationId: 'listExamples',
          summary: "The stored graded examples, or one question's, a page at a time",
          description:
            'Also lists the lines of the examples files that hold no usable example (skipped when grading), so they can be fixed.',
          parameters: [
            { name: 'questionId', in: 'query', required: false, schema: { type: 'string' }, example: 'q4' },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: MAX_EXAMPLES_PER_PAGE, default: 50 },
              example: 50,
            },
            {
              name: 'offset',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 0, default: 0 },
              example: 0,
            },
          ],
          responses: {
            '200': {
              description: 'One page of examples, the total, and any bad lines',
              content: json(ref('ExampleList')),
            },
            '400': problem('Bad query: a limit above the maximum, an unknown field'),
            '404': problem('No such question'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/examples/{id}': {
        get: {
          operationId: 'getExample',
          summary: 'One graded example',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: DOCUMENTED_EXAMPLE_ID },
          ],
          responses: {
            '200': { description: 'The example', content: json(ref('Example')) },
            '400': problem(MALFORMED_ID),
            '404': problem('No such example'),
            ...COMMON_ERRORS,
          },
        },
        delete: {
          operationId: 'removeExample',
          summary: 'Delete a graded example',
          description:
            'Answered once the index no longer holds the example. When the index cannot be rebuilt, the example is deleted all the same (the server logs a warning) and grades use the index from before until it is rebuilt.',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: DOCUMENTED_EXAMPLE_ID },
          ],
          responses: {
            '204': { description: 'Deleted' },
            '400': problem(MALFORMED_ID),
            '404': problem('No such example'),
            ...EXAMPLE_WRITE_ERRORS,
          },
        },
      },
      '/v1/grades/{id}/review': {
        post: {
          operationId: 'reviewGrade',
          summary:
            "Keep the interviewer's verdict on a grade: accept it, or give their own score and key-point statuses, with a note",
          description:
            "The id is the grade's `id`; the body repeats the answer and question as graded, and the server regrades it (the grader's score in the log is never the client's) and checks the id. " +
            'The verdict is stored as a graded example of the question (as POST /v1/examples stores one) and appended to the review log with who (the API key\'s name, or "local" without keys), when, and what changed. ' +
            "`after` is the grader's next grade of the same answer, with the review among its examples.",
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: DOCUMENTED_GRADE_ID },
          ],
          requestBody: {
            required: true,
            content: json(ref('ReviewRequest'), {
              questionId: 'q4',
              answer: EXAMPLE_GRADED_ANSWER,
              score: 2,
              keyPoints: [{ id: 'graph-for-production', status: 'missing' }],
              note: 'Says nothing of deployment.',
            }),
          },
          responses: {
            '201': {
              description: 'The review log line, the stored example, and the grade before and after',
              content: json(ref('ReviewCreated')),
            },
            '400': problem(
              'Not a valid review: neither accept nor score (or both), a score above the maximum, an unknown key point, or an answer that is not the one the grade id names',
            ),
            '404': problem('No such bank question (only grades of bank questions can be reviewed)'),
            '413': problem('The body is too large'),
            ...NOT_JSON,
            ...EXAMPLE_WRITE_ERRORS,
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'The process is up',
          security: [],
          responses: { '200': { description: 'Up', content: json(ref('Health')) } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          summary:
            'The index is loaded and the server can grade (and its database, when it has one, is reachable and migrated)',
          security: [],
          responses: {
            '200': { description: 'Ready', content: json(ref('Readiness')) },
            '503': { description: 'Starting, or the database cannot be used', content: json(ref('Readiness')) },
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics',
          security: [],
          responses: {
            '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
