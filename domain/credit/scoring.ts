import { formatYuan } from '../invoicing/invoice';
import { addDays, daysBetween } from '../shared/business-date';
import type { Receivable } from './credit-profile';
import { CREDIT_RATINGS, RATING_POLICIES, ratingFor, type CreditRating, type RatingPolicy } from './rating-policy';

/**
 * The dealer credit score (信用评分), pure and explainable. Six factors, each scored 0–100 on a
 * documented piecewise-linear scale, weighted, summed to a 0–100 score; the score maps to a
 * rating (AAA…C, see rating-policy.ts) and the rating to a policy.
 *
 * | factor       | weight | input                                                      | 100 points at        | 0 points at            |
 * |--------------|-------:|------------------------------------------------------------|----------------------|------------------------|
 * | punctuality  |     25 | share of paid receivables paid by their due date; average days late | all on time, 0 days late | none on time (−2 points per average day late) |
 * | dso          |     20 | days sales outstanding = open receivables / revenue of the last 90 days × 90 | ≤ 30 days | ≥ 120 days |
 * | overdue      |     25 | overdue amount / credit limit (or one month of revenue when there is no limit) | nothing overdue | ≥ 50 %; any debt > 90 days overdue caps it at 20 |
 * | tenure       |     10 | months since the dealer was registered                     | ≥ 36 months          | 0 months               |
 * | volume       |     10 | revenue of the last 12 months (log scale)                  | ≥ ¥10,000,000        | ≤ ¥100,000             |
 * | growth       |     10 | revenue of the last 90 days vs the 90 days before          | ≥ +30 %              | ≤ −30 % (0 % = 50)     |
 *
 * No history is neutral, not bad: a dealer without paid receivables gets 50 for punctuality, one
 * without revenue and without open debt 50 for DSO and growth. Points per factor are
 * round(weight × factor score / 100) (half up); the score is their sum, so the explanation adds up.
 * Revenue is invoiced gross (receivables by issue date, void ones excluded).
 */

export const SCORING_MODEL_VERSION = 'dms-credit-score-v1';

export const SCORING_FACTORS = ['punctuality', 'dso', 'overdue', 'tenure', 'volume', 'growth'] as const;
export type ScoringFactor = (typeof SCORING_FACTORS)[number];

export const FACTOR_WEIGHTS: Readonly<Record<ScoringFactor, number>> = {
  punctuality: 25,
  dso: 20,
  overdue: 25,
  tenure: 10,
  volume: 10,
  growth: 10,
};

/** The plain figures the score is computed from (amounts integer 分, dates YYYY-MM-DD). */
export interface ScoringInputs {
  currency: string;
  creditLimit: number;
  /** Receivables paid in full (issued in the last 12 months). */
  paidReceivables: number;
  /** Of those, paid on or before their due date. */
  paidOnTime: number;
  /** Mean of max(0, paid date − due date) over the paid receivables, in days. */
  averageDaysLate: number;
  /** Σ open of all open receivables. */
  openReceivables: number;
  revenueLast90Days: number;
  overdueAmount: number;
  /** Days the oldest overdue receivable is past due (0 when none). */
  oldestOverdueDays: number;
  tenureMonths: number;
  revenueLast12Months: number;
  /** Revenue of the 90 days before the last 90 days. */
  revenuePrevious90Days: number;
}

export interface FactorResult {
  factor: ScoringFactor;
  /** The figures this factor read. */
  input: Record<string, number | null>;
  /** 0–100 on the factor's own scale. */
  factorScore: number;
  weight: number;
  /** round(weight × factorScore / 100). */
  points: number;
  /** One sentence, Chinese then English. */
  explanation: string;
}

export interface CreditScore {
  model: string;
  score: number;
  rating: CreditRating;
  policy: RatingPolicy;
  factors: FactorResult[];
  /** Monthly average revenue of the last 12 months × the policy's multiplier, rounded to ¥1,000. */
  suggestedLimit: number;
}

const clamp = (value: number, min = 0, max = 100) => Math.min(max, Math.max(min, value));
/** `value` on a line through (at0, 0) and (at100, 100), clamped; works for falling scales too. */
const linear = (value: number, at0: number, at100: number) => clamp(((value - at0) / (at100 - at0)) * 100);
const round1 = (value: number) => Math.round(value * 10) / 10;
const percent = (ratio: number) => `${round1(ratio * 100)}%`;

function assertFigures(inputs: ScoringInputs): void {
  for (const [name, value] of Object.entries(inputs)) {
    if (name === 'currency') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`scoreCredit: ${name} must be a finite number ≥ 0 (got ${value})`);
  }
  if (inputs.paidOnTime > inputs.paidReceivables) throw new RangeError('scoreCredit: paidOnTime cannot exceed paidReceivables');
}

function factor(name: ScoringFactor, input: FactorResult['input'], rawScore: number, explanation: string): FactorResult {
  const factorScore = Math.round(clamp(rawScore));
  const weight = FACTOR_WEIGHTS[name];
  return { factor: name, input, factorScore, weight, points: Math.round((weight * factorScore) / 100), explanation };
}

function punctuality(i: ScoringInputs): FactorResult {
  const input = { paidReceivables: i.paidReceivables, paidOnTime: i.paidOnTime, averageDaysLate: round1(i.averageDaysLate) };
  if (i.paidReceivables === 0) return factor('punctuality', input, 50, '尚无已结清的应收，按中性计分。No paid receivables yet: neutral.');
  const share = i.paidOnTime / i.paidReceivables;
  const raw = share * 100 - 2 * i.averageDaysLate;
  return factor(
    'punctuality',
    input,
    raw,
    `${i.paidReceivables} 笔已结清应收中 ${i.paidOnTime} 笔按期支付（${percent(share)}），平均逾期 ${round1(i.averageDaysLate)} 天。${i.paidOnTime} of ${i.paidReceivables} paid receivables were paid by their due date (${percent(share)}), ${round1(i.averageDaysLate)} days late on average.`,
  );
}

/** Days sales outstanding; null when there is neither revenue nor open debt. */
export function daysSalesOutstanding(openReceivables: number, revenueLast90Days: number): number | null {
  if (revenueLast90Days === 0) return openReceivables === 0 ? null : Number.POSITIVE_INFINITY;
  return (openReceivables / revenueLast90Days) * 90;
}

function dso(i: ScoringInputs): FactorResult {
  const days = daysSalesOutstanding(i.openReceivables, i.revenueLast90Days);
  const input = { openReceivables: i.openReceivables, revenueLast90Days: i.revenueLast90Days, dsoDays: days === null || !Number.isFinite(days) ? null : round1(days) };
  const money = (fen: number) => formatYuan(fen);
  if (days === null) return factor('dso', input, 50, '近90天无收入且无未结应收，按中性计分。No revenue in the last 90 days and nothing open: neutral.');
  if (!Number.isFinite(days)) {
    return factor('dso', input, 0, `近90天无收入，但仍有未结应收 ${money(i.openReceivables)}。No revenue in the last 90 days but ${money(i.openReceivables)} still open.`);
  }
  return factor(
    'dso',
    input,
    linear(days, 120, 30),
    `应收账款周转天数 ${round1(days)} 天（未结 ${money(i.openReceivables)} / 近90天收入 ${money(i.revenueLast90Days)} × 90）；≤30 天满分，≥120 天零分。Days sales outstanding ${round1(days)} (open ${money(i.openReceivables)} / revenue of the last 90 days ${money(i.revenueLast90Days)} × 90); full points at ≤ 30, none at ≥ 120.`,
  );
}

function overdue(i: ScoringInputs): FactorResult {
  const monthlyRevenue = Math.round(i.revenueLast12Months / 12);
  const base = i.creditLimit > 0 ? i.creditLimit : monthlyRevenue;
  const [baseZh, baseEn] = i.creditLimit > 0 ? ['信用额度', 'the credit limit'] : ['月均收入', 'one month of revenue'];
  const ratio = i.overdueAmount === 0 ? 0 : base > 0 ? i.overdueAmount / base : Number.POSITIVE_INFINITY;
  const input = { overdueAmount: i.overdueAmount, oldestOverdueDays: i.oldestOverdueDays, base, overdueRatio: Number.isFinite(ratio) ? round1(ratio * 100) / 100 : null };
  if (i.overdueAmount === 0) return factor('overdue', input, 100, '无逾期欠款。Nothing overdue.');
  let raw = Number.isFinite(ratio) ? linear(ratio, 0.5, 0) : 0;
  const capped = i.oldestOverdueDays > 90 && raw > 20;
  if (capped) raw = 20;
  return factor(
    'overdue',
    input,
    raw,
    `逾期欠款 ${formatYuan(i.overdueAmount)}，占${baseZh} ${formatYuan(base)} 的 ${Number.isFinite(ratio) ? percent(ratio) : '—'}，最长逾期 ${i.oldestOverdueDays} 天${capped ? '（超过90天，最多20分）' : ''}。Overdue ${formatYuan(i.overdueAmount)} is ${Number.isFinite(ratio) ? percent(ratio) : 'all'} of ${baseEn} ${formatYuan(base)}, oldest ${i.oldestOverdueDays} days past due${capped ? ' (over 90 days: at most 20)' : ''}; none overdue is full points, 50 % or more is none.`,
  );
}

function tenure(i: ScoringInputs): FactorResult {
  return factor(
    'tenure',
    { tenureMonths: i.tenureMonths },
    linear(i.tenureMonths, 0, 36),
    `合作 ${i.tenureMonths} 个月；满36个月得满分。Dealer for ${i.tenureMonths} months; full points from 36 months.`,
  );
}

/** ¥100,000 and ¥10,000,000 in 分: the ends of the volume scale. */
const VOLUME_FLOOR = 10_000_000;
const VOLUME_CEILING = 1_000_000_000;

function volume(i: ScoringInputs): FactorResult {
  const raw = i.revenueLast12Months <= VOLUME_FLOOR ? 0 : linear(Math.log10(i.revenueLast12Months), Math.log10(VOLUME_FLOOR), Math.log10(VOLUME_CEILING));
  return factor(
    'volume',
    { revenueLast12Months: i.revenueLast12Months },
    raw,
    `近12个月收入 ${formatYuan(i.revenueLast12Months)}（对数刻度：¥100,000 零分，¥10,000,000 满分）。Revenue of the last 12 months ${formatYuan(i.revenueLast12Months)} (log scale: none at ¥100,000, full at ¥10,000,000).`,
  );
}

function growth(i: ScoringInputs): FactorResult {
  const input = { revenueLast90Days: i.revenueLast90Days, revenuePrevious90Days: i.revenuePrevious90Days, growth: null as number | null };
  if (i.revenuePrevious90Days === 0) {
    if (i.revenueLast90Days === 0) return factor('growth', input, 50, '前后两个90天均无收入，按中性计分。No revenue in either period: neutral.');
    return factor('growth', input, 100, `上一期无收入，本期收入 ${formatYuan(i.revenueLast90Days)}：新增业务，满分。New business: ${formatYuan(i.revenueLast90Days)} after a period without revenue.`);
  }
  const g = (i.revenueLast90Days - i.revenuePrevious90Days) / i.revenuePrevious90Days;
  input.growth = Math.round(g * 1000) / 1000;
  return factor(
    'growth',
    input,
    linear(g, -0.3, 0.3),
    `近90天收入 ${formatYuan(i.revenueLast90Days)}，之前90天 ${formatYuan(i.revenuePrevious90Days)}，增长 ${percent(g)}（−30% 零分，0% 50分，+30% 满分）。Revenue of the last 90 days ${formatYuan(i.revenueLast90Days)} vs ${formatYuan(i.revenuePrevious90Days)} before: ${g >= 0 ? '+' : ''}${percent(g)} (none at −30 %, 50 at 0 %, full at +30 %).`,
  );
}

/** ¥1,000 in 分: suggested limits are rounded to it. */
const LIMIT_STEP = 100_000;

/** The score, rating, policy and per-factor explanation for `inputs`. */
export function scoreCredit(inputs: ScoringInputs): CreditScore {
  assertFigures(inputs);
  const factors = [punctuality(inputs), dso(inputs), overdue(inputs), tenure(inputs), volume(inputs), growth(inputs)];
  const score = factors.reduce((sum, f) => sum + f.points, 0);
  const rating = ratingFor(score);
  const policy = RATING_POLICIES[rating];
  const monthly = inputs.revenueLast12Months / 12;
  const suggestedLimit = Math.round((monthly * policy.limitMultiplier) / LIMIT_STEP) * LIMIT_STEP;
  return { model: SCORING_MODEL_VERSION, score, rating, policy, factors, suggestedLimit };
}

// ── from records to figures ───────────────────────────────────────────────────

/** A receivable as the scoring reads it: `paidOn` is the business date it was settled in full. */
export type ScoredReceivable = Pick<Receivable, 'amount' | 'open' | 'issueDate' | 'dueDate' | 'status'> & { paidOn?: string };

export interface ScoringFacts {
  asOf: string;
  currency: string;
  creditLimit: number;
  /** The dealer's registration instant (ISO) or business date. */
  dealerSince: string;
  /** Receivables issued in the last 12 months (older ones are ignored). */
  receivables: ScoredReceivable[];
  /** Σ open of ALL the dealer's open receivables (the exposure counter). */
  openReceivables: number;
  overdueAmount: number;
  oldestOverdueDays: number;
}

/** Whole months from `from` to `to` (YYYY-MM-DD…), not counting a month not yet completed. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.slice(0, 10).split('-').map(Number) as [number, number, number];
  const months = (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
  return Math.max(0, months);
}

/**
 * The figures of `scoreCredit` from a dealer's receivables (pure). Windows end on `asOf`
 * inclusive: the last 90 days are issue dates in (asOf − 90, asOf], the 90 before in
 * (asOf − 180, asOf − 90], the last 12 months in (asOf − 365, asOf]. Punctuality counts the
 * receivables paid in full (`paidOn` set, status paid) among them.
 */
export function scoringInputsFrom(facts: ScoringFacts): ScoringInputs {
  const { asOf } = facts;
  const d90 = addDays(asOf, -90);
  const d180 = addDays(asOf, -180);
  const d365 = addDays(asOf, -365);
  let revenueLast90Days = 0;
  let revenuePrevious90Days = 0;
  let revenueLast12Months = 0;
  let paidReceivables = 0;
  let paidOnTime = 0;
  let daysLate = 0;
  for (const r of facts.receivables) {
    if (r.status === 'void' || r.issueDate > asOf || r.issueDate <= d365) continue;
    revenueLast12Months += r.amount;
    if (r.issueDate > d90) revenueLast90Days += r.amount;
    else if (r.issueDate > d180) revenuePrevious90Days += r.amount;
    if (r.status === 'paid' && r.paidOn) {
      paidReceivables += 1;
      const late = Math.max(0, daysBetween(r.dueDate, r.paidOn));
      if (late === 0) paidOnTime += 1;
      daysLate += late;
    }
  }
  return {
    currency: facts.currency,
    creditLimit: facts.creditLimit,
    paidReceivables,
    paidOnTime,
    averageDaysLate: paidReceivables === 0 ? 0 : daysLate / paidReceivables,
    openReceivables: Math.max(0, facts.openReceivables),
    revenueLast90Days,
    overdueAmount: facts.overdueAmount,
    oldestOverdueDays: facts.oldestOverdueDays,
    tenureMonths: monthsBetween(facts.dealerSince, asOf),
    revenueLast12Months,
    revenuePrevious90Days,
  };
}

export { CREDIT_RATINGS, RATING_POLICIES };
