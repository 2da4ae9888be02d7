#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { PACKAGE_ROOT } from '../config/paths.js';
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// Output piped into a reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// A .env file in the working directory is read as the environment (variables already set win).
if (existsSync('.env')) {
  for (const [name, value] of Object.entries(parseEnv(readFileSync('.env', 'utf8')))) {
    if (process.env[name] === undefined) process.env[name] = value;
  }
}
// An empty variable counts as unset (as in .env.example), for commander's option checks too.
for (const [name, value] of Object.entries(process.env)) {
  if (value?.trim() === '' && /^(ANSWERKEY_|OPENAI_)|^(PORT|HOST)$/.test(name)) delete process.env[name];
}

const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
process.exitCode = await runCli(process.argv.slice(2), processIo(), version);
