import { z } from 'zod';

export const modelPriceSchema = z.object({
  inputPerMillion: z.number().min(0),
  outputPerMillion: z.number().min(0),
});

export const priceTableSchema = z.record(z.string().min(1), modelPriceSchema);

export type ModelPrice = z.infer<typeof modelPriceSchema>;
export type PriceTable = z.infer<typeof priceTableSchema>;

/**
 * US dollars per million tokens, from the providers' published list prices. Models not listed
 * (a local server's) have no estimate; ANSWERKEY_LLM_PRICES adds or overrides entries.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
};

/** The estimated cost in dollars, or null when the model has no price. */
export function estimateCost(
  prices: PriceTable,
  model: string,
  promptTokens: number,
  completionTokens: number,
): number | null {
  const price = prices[model];
  if (!price) return null;
  const dollars = (promptTokens * price.inputPerMillion + completionTokens * price.outputPerMillion) / 1_000_000;
  return Math.round(dollars * 1_000_000) / 1_000_000;
}
