import * as z from 'zod';

/**
 * Money is integer minor units (分 for CNY) plus an ISO 4217 currency; never floats.
 * Rates are basis points (1300 = 13.00 %). Products of two amounts can pass 2^53 (a line of
 * ¥10 million × 1,000,000 units × 1300 bp), so scaled arithmetic runs in BigInt.
 */
export const DEFAULT_CURRENCY = 'CNY';

/** Largest unit price accepted anywhere in the catalog: ¥10,000,000.00. */
export const MAX_UNIT_AMOUNT = 1_000_000_000;
/** Largest quantity a quote or price break accepts. */
export const MAX_QUANTITY = 1_000_000;

export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY');
export const AmountSchema = z.number().int().min(0).max(MAX_UNIT_AMOUNT).describe('integer minor units (分)');

export const MoneySchema = z.strictObject({
  amount: AmountSchema,
  currency: CurrencySchema.default(DEFAULT_CURRENCY),
});
export type Money = z.output<typeof MoneySchema>;

/** round_half_up(value × numerator / denominator) for non-negative integers. */
export function mulDivHalfUp(value: number, numerator: number, denominator: number): number {
  if (value < 0 || numerator < 0 || denominator <= 0) throw new RangeError('mulDivHalfUp takes non-negative integers');
  const product = BigInt(value) * BigInt(numerator);
  const d = BigInt(denominator);
  return Number((product * 2n + d) / (2n * d));
}

/** VAT on a net line amount, rounded half-up to the fen. */
export function vatOn(net: number, vatRateBasisPoints: number): number {
  return mulDivHalfUp(net, vatRateBasisPoints, 10_000);
}
