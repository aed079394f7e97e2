/**
 * Credit ratings (信用等级) and the cooperation policy each one stands for. The score bands are
 * inclusive lower bounds; the policy is what finance applies:
 * - `limitMultiplier` × the dealer's average monthly revenue (last 12 months) is the suggested
 *   credit limit (a suggestion: limits change only through an approved limit request);
 * - `paymentTermsDays` become the dealer's payment terms when an evaluation applies its policy;
 * - `prepaymentRequired` is advisory (shown with the evaluation; orders are not blocked by it);
 * - `orderHold` puts the dealer on credit hold, so new orders route to finance approval.
 */

export const CREDIT_RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C'] as const;
export type CreditRating = (typeof CREDIT_RATINGS)[number];

export interface RatingPolicy {
  limitMultiplier: number;
  paymentTermsDays: number;
  prepaymentRequired: boolean;
  orderHold: boolean;
}

/** Lowest score of each rating, best first; below 40 is C. */
export const RATING_BANDS: readonly { rating: CreditRating; minScore: number }[] = [
  { rating: 'AAA', minScore: 90 },
  { rating: 'AA', minScore: 80 },
  { rating: 'A', minScore: 70 },
  { rating: 'BBB', minScore: 60 },
  { rating: 'BB', minScore: 50 },
  { rating: 'B', minScore: 40 },
  { rating: 'C', minScore: 0 },
];

export const RATING_POLICIES: Readonly<Record<CreditRating, RatingPolicy>> = {
  AAA: { limitMultiplier: 3, paymentTermsDays: 60, prepaymentRequired: false, orderHold: false },
  AA: { limitMultiplier: 2.5, paymentTermsDays: 45, prepaymentRequired: false, orderHold: false },
  A: { limitMultiplier: 2, paymentTermsDays: 30, prepaymentRequired: false, orderHold: false },
  BBB: { limitMultiplier: 1.5, paymentTermsDays: 30, prepaymentRequired: false, orderHold: false },
  BB: { limitMultiplier: 1, paymentTermsDays: 15, prepaymentRequired: false, orderHold: false },
  B: { limitMultiplier: 0.5, paymentTermsDays: 0, prepaymentRequired: true, orderHold: false },
  C: { limitMultiplier: 0, paymentTermsDays: 0, prepaymentRequired: true, orderHold: true },
};

export function ratingFor(score: number): CreditRating {
  if (!Number.isFinite(score) || score < 0 || score > 100) throw new RangeError(`ratingFor: score must be 0–100 (got ${score})`);
  return RATING_BANDS.find((band) => score >= band.minScore)!.rating;
}
