import { Option, type Command } from 'commander';

/** Options of commands that can grade with a language model; each falls back to its variable. */
export function withLlmOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--mode <mode>', 'scorer: llm (needs OPENAI_API_KEY or OPENAI_BASE_URL) or local (offline); default llm when a key is set')
        .choices(['local', 'llm'])
        .env('ANSWERKEY_MODE'),
    )
    .addOption(new Option('--model <name>', 'chat model for LLM mode (default gpt-4o-mini)').env('ANSWERKEY_CHAT_MODEL'))
    .addOption(new Option('--temperature <t>', 'sampling temperature of the model (default 0)').env('ANSWERKEY_LLM_TEMPERATURE'))
    .addOption(new Option('--timeout-ms <ms>', 'time limit of one model call (default 30000)').env('ANSWERKEY_LLM_TIMEOUT_MS'))
    .addOption(new Option('--max-retries <n>', 'retries of a model call on 429, 5xx and timeouts (default 3)').env('ANSWERKEY_LLM_MAX_RETRIES'))
    .addOption(new Option('--concurrency <n>', 'model calls in flight at once (default 8)').env('ANSWERKEY_LLM_CONCURRENCY'))
    .addOption(new Option('--samples <n>', 'grade N times and report the median and spread (default 1)').env('ANSWERKEY_LLM_SAMPLES'))
    .addOption(new Option('--no-cache', 'do not answer repeated requests from the on-disk cache of model replies'));
}
