/** The longest texts a grade is asked for, wherever it comes from: the API refuses more, and a batch reports more in errors.jsonl. */
export const MAX_ANSWER_CHARACTERS = 20_000;
/** A question's text, in a grade request or a lookup; an answer looked up by its text needs no more to find its question (the bank's references hold at most 400). */
export const MAX_QUESTION_CHARACTERS = 2_000;
