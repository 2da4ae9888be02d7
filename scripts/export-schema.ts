/**
 * Writes the published JSON Schema of a grade (schema/grade.schema.json) from the zod schema
 * every scorer and interface shares. A test fails when the committed file drifts from the code.
 *
 *   npx tsx scripts/export-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/config/paths.js';
import { gradeJsonSchema } from '../src/grading/grade-schema.js';

const path = join(PACKAGE_ROOT, 'schema', 'grade.schema.json');
writeFileSync(path, `${JSON.stringify(gradeJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path}`);
