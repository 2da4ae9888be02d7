/**
 * A deliberately light suffix stripper: enough for "builds"/"building"/"built" style matches
 * between an answer and a reference, without Porter's over-reach ("general" → "gener").
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  const rules: Array<[RegExp, string]> = [
    [/ies$/, 'y'],
    [/(ss|us|is)$/, '$1'],
    [/([^s])es$/, '$1e'],
    [/([^s])s$/, '$1'],
  ];
  let result = word;
  for (const [pattern, replacement] of rules) {
    if (pattern.test(result)) {
      result = result.replace(pattern, replacement);
      break;
    }
  }
  // Nouns of action meet their verbs: "regularization"/"regularize", "augmentation"/"augment".
  if (result.length > 9 && /ization$/.test(result)) result = `${result.slice(0, -7)}ize`;
  else if (result.length > 9 && /ation$/.test(result)) result = result.slice(0, -5);
  if (result.length > 5 && /ing$/.test(result)) result = result.slice(0, -3);
  else if (result.length > 4 && /ed$/.test(result)) result = result.slice(0, -2);
  else if (result.length > 5 && /ly$/.test(result)) result = result.slice(0, -2);
  if (result.length > 3 && /e$/.test(result)) result = result.slice(0, -1);
  // "stopp(ing)" → "stop", "scal(ing)" stays.
  if (/([^aeiouls])\1$/.test(result)) result = result.slice(0, -1);
  return result;
}
