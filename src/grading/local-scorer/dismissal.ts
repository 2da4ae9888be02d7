/**
 * Dismissals: clauses that name a thing only to wave it away. "Early stopping is useless",
 * "Idempotency is overengineering", "Dead letter queues just hide problems, so I never configure
 * them" all have the words of a key point and state its opposite. Read clause by clause, so that
 * "retrying at once is pointless, so back off exponentially" still makes the backoff point.
 */

/**
 * A verdict against what the clause names. Only plain verdicts: "is not required" and "does not
 * need" are how correct answers say that something may be left out, and "slow" is how they say
 * why the right thing is right. "Dangerous" is a verdict on its own clause only: "retrying POSTs
 * is dangerous, so I only retry idempotent calls" dismisses nothing after the comma.
 */
const VERDICT = new RegExp(
  [
    String.raw`(?<!\b(?:not|never|isn't|aren't) )\b(?:useless|pointless|worthless|unnecessary|overrated|irrelevant|counterproductive|redundant|overkill|outdated|obsolete|over-?engineer(?:ed|ing)?|an? (?:anti-?pattern|myth|trap|gimmick|crutch|fad)|premature optimi[sz]ation|(?:just|mostly|purely) academic|cheating|bureaucracy|dangerous|harmful|risky|a bad idea|bad practice|busywork|snake oil|a marketing (?:name|term|gimmick))\b`,
    String.raw`\b(?:a|just|only) waste\b|\bwaste of (?:time|money|effort)\b|(?<!\b(?:where|which|that|what)(?: \w+){0,3} )\bwastes (?:\w+ )?(?:time|money|effort|compute|resources)\b`,
    String.raw`\b(?:just|only|merely) (?:hides?|adds?|produces?|creates?|makes?|gets? in the way)\b`,
    String.raw`\bhides? (?:the )?problems\b|\bmake(?:s)? no difference\b|\bnice to have\b|\bcan wait\b|\bgo(?:es)? stale\b|\bsign of bad design\b`,
    String.raw`\b(?:aren't|isn't|are not|is not|not) (?:needed|necessary|worth it)\b|\bno (?:real )?need (?:for|to)\b`,
    String.raw`\b(?:aren't|isn't|are not|is not) (?:really |even )?(?:possible|feasible|practical)\b`,
    String.raw`\btoo (?:noisy|costly|expensive|complicated)\b|\b(?:is|are) (?:just |pure |mostly )?(?:marketing|hype)\b`,
    String.raw`(?:\bnot|\bnever|n't) (?:help|helps|helpful|work|works|useful|worth)\b`,
    String.raw`(?:\bnot|n't) make (?:much |any )?sense\b|\bnot (?:a |very )?meaningful\b|\bmeaningless\b`,
  ].join('|'),
  'i',
);

/**
 * Refusing to do what the clause names: "so I never configure them", "I'd skip both". Only in the
 * first person, and for the verbs of leaving a practice out.
 */
const REFUSAL =
  /\b(?:I|we)(?:'d| would)? (?:never|don't|do not|won't|wouldn't|would not|no longer) (?:use|set|configure|add|bother|track|version|write|enable|run|monitor|need|keep|do)\b|\b(?:I|we)(?:'d| would)? (?:skip|drop|leave out|get rid of)\b|\b(?:skip|drop|remove) (?:it|them|both|those|these)\b|\bleave (?:it|them) out\b|\b(?:keep|leave|turn|switch) (?:it|them) (?:switched |turned )?off\b|\b(?:I|we)(?:'d| would)? (?:disable|turn off|switch off)\b/i;

/** A refusal that points back at what an earlier clause named: "…, so I never use them". */
const POINTS_BACK = /\b(?:it|them|they|those|these|both|either|that)\b/i;

/** A verdict whose subject points back at what an earlier clause named: "…, so they aren't needed", "…; it's overkill". */
const VERDICT_OF_EARLIER =
  /^\s*(?:and |so |which |then )?(?:it|they|those|these|both|either|that|this)(?:'s|'re| is| are| was| were| seems?| just| only)?\b/i;

/** Where a dismissal's reach ends: its clause ("X is useless, but Y helps"). */
const CLAUSE_BREAK = /[,;:.!?\n()]|\b(?:but|however|whereas|although|because|while|since|so|instead)\b/gi;
/** Where a refusal's reach back ends: its sentence, or a turn ("caching is fine for reads, but I'd never use it for writes"). */
const REACH_BREAK = /[.!?\n;]|\b(?:but|however|whereas|although|while|instead)\b/i;

/** Whether a text passes a verdict on what it names ("backoff just adds latency"), rather than refusing it. */
export function isVerdict(text: string): boolean {
  return VERDICT.test(text);
}

/** Whether a text refuses what it names, in the first person ("I'd never track deployments"). */
export function isRefusal(text: string): boolean {
  return REFUSAL.test(text);
}

/** Whether a text, a key point's own wording say, dismisses or refuses something itself ("avoid premature optimization"). */
export function isDismissive(text: string): boolean {
  return VERDICT.test(text) || REFUSAL.test(text);
}

/** Offsets of a text's clauses, in order. */
function clausesOf(text: string): [number, number][] {
  const clauses: [number, number][] = [];
  let start = 0;
  const close = (end: number) => {
    if (/\S/.test(text.slice(start, end))) clauses.push([start, end]);
  };
  for (const match of text.matchAll(CLAUSE_BREAK)) {
    close(match.index);
    start = match.index + match[0].length;
  }
  close(text.length);
  return clauses;
}

/**
 * Offsets of the clauses of a text that dismiss what they name: those with a verdict or a refusal
 * of their own, and those a later clause of the same sentence refuses or judges through a pronoun
 * ("X adds latency, so I never use it"; "X is slow, so they aren't needed").
 */
export function dismissingClauses(text: string): [number, number][] {
  const clauses = clausesOf(text);
  const dismissing = clauses.map(([start, end]) => isDismissive(text.slice(start, end)));
  for (let index = clauses.length - 1; index > 0; index -= 1) {
    const clause = text.slice(...clauses[index]);
    if (!dismissing[index] || !(REFUSAL.test(clause) ? POINTS_BACK : VERDICT_OF_EARLIER).test(clause)) continue;
    // Back through the sentence: every clause before the refusal names what it refuses.
    for (
      let before = index - 1;
      before >= 0 && !REACH_BREAK.test(text.slice(clauses[before][1], clauses[before + 1][0]));
      before -= 1
    )
      dismissing[before] = true;
  }
  return clauses.filter((_, index) => dismissing[index]);
}

/** The clause among `clauses` that the text between `start` and `end` overlaps, if any. */
export function clauseAt(clauses: readonly [number, number][], start: number, end: number): [number, number] | null {
  return clauses.find(([clauseStart, clauseEnd]) => start < clauseEnd && end > clauseStart) ?? null;
}
