/** Function words: they carry grammar, not content, so they never count as evidence. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are as at be because been before being
  below between both but by can could did do does doing down during each either etc few for from
  further had has have having he her here hers herself him himself his how i if in into is it its
  itself just let like may me might more most must my myself of off on once only or other our ours
  ourselves out over own per same shall she should so some such than that the their theirs them
  themselves then there these they this those through thus to too under until up upon us very via
  was we were what when where whether which while who whom whose why will with within would you
  your yours yourself yourselves e g eg ie i.e vs s t d ll m re ve`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words that flip the meaning of what follows them ("does not scale", "without retries"). */
export const NEGATION_CUES: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'without',
  'none',
  'nor',
  'neither',
  'cannot',
  'nothing',
  'lack',
  'lacks',
  'avoid',
]);
