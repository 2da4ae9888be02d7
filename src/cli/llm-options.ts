import { GRADING_MODES } from '../config/grading-mode.js';
import { Option, type Command } from 'commander';
import type { AnswerkeyConfig } from '../config/config.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';

/** Options of commands that can grade with a language model; each falls back to its variable. */
export function withLlmOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--mode <mode>',
        'scorer: llm (needs OPENAI_API_KEY or OPENAI_BASE_URL) or local (offline); default llm when a key is set',
      )
        .choices(GRADING_MODES)
        .env('ANSWERKEY_MODE'),
    )
    .addOption(
      new Option('--model <name>', 'chat model for LLM mode (default gpt-4o-mini)').env('ANSWERKEY_CHAT_MODEL'),
    )
    .addOption(
      new Option('--temperature <t>', 'sampling temperature of the model (default 0)').env('ANSWERKEY_LLM_TEMPERATURE'),
    )
    .addOption(
      new Option('--timeout-ms <ms>', 'time limit of one model call (default 30000)').env('ANSWERKEY_LLM_TIMEOUT_MS'),
    )
    .addOption(
      new Option('--max-retries <n>', 'retries of a model call on 429, 5xx and timeouts (default 3)').env(
        'ANSWERKEY_LLM_MAX_RETRIES',
      ),
    )
    .addOption(
      new Option('--concurrency <n>', 'model calls in flight at once (default 8)').env('ANSWERKEY_LLM_CONCURRENCY'),
    )
    .addOption(
      new Option('--samples <n>', 'grade N times and report the median and spread (default 1)').env(
        'ANSWERKEY_LLM_SAMPLES',
      ),
    )
    .addOption(new Option('--no-cache', 'do not answer repeated requests from the on-disk cache of model replies'));
}

/** LLM mode asked for without a model server to run it. */
export function unavailableLlmModeError(): AnswerkeyError {
  return new AnswerkeyError('invalid_input', 'LLM mode needs a model server, and none is configured', {
    hint: 'set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server, see README "LLM mode"), or grade offline with --mode local',
  });
}

/**
 * LLM mode asked for (--mode llm or ANSWERKEY_MODE=llm) without a model server to run it is a usage
 * error for `grade`, `lookup` and `serve` (and `batch`, whose --mode is its own; a 501 in the API):
 * grading locally instead would hand back a grade of another kind than the one asked for.
 */
export function refuseUnavailableLlmMode(config: AnswerkeyConfig): void {
  if (config.modeNotice !== undefined) throw unavailableLlmModeError();
}
