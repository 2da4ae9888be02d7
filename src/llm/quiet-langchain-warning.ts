const MISLEADING = 'New LangChain packages are available';
let installed = false;

/**
 * @langchain/core warns "New LangChain packages are available… upgrade" on every reply whose
 * tool-call arguments are not valid JSON. The packages are current and the reply is repaired,
 * so the warning would only put four wrong lines on the user's terminal: drop that one message.
 */
export function quietMisleadingLangchainWarning(): void {
  if (installed) return;
  installed = true;
  const warn = console.warn.bind(console);
  console.warn = (...parts: unknown[]) => {
    if (typeof parts[0] === 'string' && parts[0].startsWith(MISLEADING)) return;
    warn(...parts);
  };
}
