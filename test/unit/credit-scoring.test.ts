import { describe, expect, it } from 'vitest';
import { needsOverdueHold, overdueHoldReason } from '../../domain/credit/credit-holds';
import { RATING_POLICIES, ratingFor } from '../../domain/credit/rating-policy';
import { FACTOR_WEIGHTS, monthsBetween, scoreCredit, scoringInputsFrom, type ScoringInputs } from '../../domain/credit/scoring';

const KNOWN: ScoringInputs = {
  currency: 'CNY',
  creditLimit: 10_000_000,
  paidReceivables: 10,
  paidOnTime: 8,
  averageDaysLate: 2.5,
  openReceivables: 3_000_000,
  revenueLast90Days: 9_000_000,
  overdueAmount: 1_000_000,
  oldestOverdueDays: 10,
  tenureMonths: 18,
  revenueLast12Months: 36_000_000,
  revenuePrevious90Days: 7_500_000,
};

describe('scoreCredit', () => {
  it('weights sum to 100', () => {
    expect(Object.values(FACTOR_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('scores known inputs factor by factor, and the points add up to the score', () => {
    const result = scoreCredit(KNOWN);
    const byFactor = Object.fromEntries(result.factors.map((f) => [f.factor, { factorScore: f.factorScore, points: f.points, weight: f.weight }]));
    expect(byFactor).toEqual({
      // 8/10 on time = 80, −2 × 2.5 days late = 75 → 25 × 0.75 = 18.75 → 19
      punctuality: { factorScore: 75, points: 19, weight: 25 },
      // DSO = 3,000,000 / 9,000,000 × 90 = 30 days → full
      dso: { factorScore: 100, points: 20, weight: 20 },
      // overdue 10 % of the limit: 100 − 10/50 × 100 = 80 → 20
      overdue: { factorScore: 80, points: 20, weight: 25 },
      // 18 of 36 months
      tenure: { factorScore: 50, points: 5, weight: 10 },
      // ¥360,000 on the log scale ¥100,000…¥10,000,000: (7.556 − 7) / 2 = 27.8 % → 28 → 2.8 → 3
      volume: { factorScore: 28, points: 3, weight: 10 },
      // +20 % on −30 %…+30 %: 83 → 8
      growth: { factorScore: 83, points: 8, weight: 10 },
    });
    expect(result.score).toBe(75);
    expect(result.factors.reduce((sum, f) => sum + f.points, 0)).toBe(result.score);
    expect(result.rating).toBe('A');
    expect(result.policy).toEqual(RATING_POLICIES.A);
    // Monthly revenue ¥30,000 × 2 = ¥60,000.
    expect(result.suggestedLimit).toBe(6_000_000);
  });

  it('explains every factor with its inputs and a sentence naming the figures', () => {
    const result = scoreCredit(KNOWN);
    const explain = Object.fromEntries(result.factors.map((f) => [f.factor, f]));
    expect(explain.punctuality!.input).toEqual({ paidReceivables: 10, paidOnTime: 8, averageDaysLate: 2.5 });
    expect(explain.punctuality!.explanation).toContain('8 of 10 paid receivables were paid by their due date (80%), 2.5 days late on average');
    expect(explain.dso!.input).toMatchObject({ dsoDays: 30 });
    expect(explain.dso!.explanation).toContain('Days sales outstanding 30');
    expect(explain.overdue!.explanation).toContain('Overdue ¥10,000.00 is 10% of the credit limit ¥100,000.00');
    expect(explain.tenure!.explanation).toContain('Dealer for 18 months');
    expect(explain.volume!.explanation).toContain('¥360,000.00');
    expect(explain.growth!.input).toMatchObject({ growth: 0.2 });
    expect(explain.growth!.explanation).toContain('+20%');
    for (const f of result.factors) expect(f.explanation).toMatch(/[\u4e00-\u9fff].*[A-Za-z]/u);
  });

  it('no history is neutral; a brand-new dealer rates BB (no limit suggested)', () => {
    const result = scoreCredit({ ...KNOWN, creditLimit: 0, paidReceivables: 0, paidOnTime: 0, averageDaysLate: 0, openReceivables: 0, revenueLast90Days: 0, overdueAmount: 0, oldestOverdueDays: 0, tenureMonths: 0, revenueLast12Months: 0, revenuePrevious90Days: 0 });
    expect(result.factors.map((f) => [f.factor, f.factorScore])).toEqual([
      ['punctuality', 50],
      ['dso', 50],
      ['overdue', 100],
      ['tenure', 0],
      ['volume', 0],
      ['growth', 50],
    ]);
    expect(result.score).toBe(13 + 10 + 25 + 0 + 0 + 5);
    expect(result.rating).toBe('BB');
    expect(result.suggestedLimit).toBe(0);
  });

  it('a bad payer with old overdue debt rates C and its policy holds orders', () => {
    const result = scoreCredit({ ...KNOWN, paidOnTime: 1, averageDaysLate: 40, revenueLast90Days: 0, overdueAmount: 9_000_000, oldestOverdueDays: 120, tenureMonths: 2, revenueLast12Months: 12_000_000 });
    expect(result.factors.find((f) => f.factor === 'dso')).toMatchObject({ factorScore: 0, input: { dsoDays: null } });
    expect(result.factors.find((f) => f.factor === 'overdue')).toMatchObject({ factorScore: 0 });
    expect(result.factors.find((f) => f.factor === 'growth')).toMatchObject({ factorScore: 0 });
    expect(result.rating).toBe('C');
    expect(result.policy).toEqual({ limitMultiplier: 0, paymentTermsDays: 0, prepaymentRequired: true, orderHold: true });
    expect(result.suggestedLimit).toBe(0);
  });

  it('debt more than 90 days overdue caps the overdue factor at 20 even when small', () => {
    const small = scoreCredit({ ...KNOWN, overdueAmount: 100_000, oldestOverdueDays: 91 });
    expect(small.factors.find((f) => f.factor === 'overdue')!.factorScore).toBe(20);
    const recent = scoreCredit({ ...KNOWN, overdueAmount: 100_000, oldestOverdueDays: 90 });
    expect(recent.factors.find((f) => f.factor === 'overdue')!.factorScore).toBe(98);
  });

  it('refuses negative or non-finite figures', () => {
    expect(() => scoreCredit({ ...KNOWN, overdueAmount: -1 })).toThrow(RangeError);
    expect(() => scoreCredit({ ...KNOWN, revenueLast90Days: Number.NaN })).toThrow(RangeError);
    expect(() => scoreCredit({ ...KNOWN, paidOnTime: 11 })).toThrow(RangeError);
  });
});

describe('ratings', () => {
  it('bands are inclusive lower bounds', () => {
    expect([100, 90, 89, 80, 79, 70, 60, 50, 40, 39, 0].map(ratingFor)).toEqual(['AAA', 'AAA', 'AA', 'AA', 'A', 'A', 'BBB', 'BB', 'B', 'C', 'C']);
    expect(() => ratingFor(101)).toThrow(RangeError);
  });
});

describe('scoringInputsFrom', () => {
  it('derives revenue windows, punctuality and tenure from receivables as of a date', () => {
    const asOf = '2026-06-30';
    const inputs = scoringInputsFrom({
      asOf,
      currency: 'CNY',
      creditLimit: 5_000_000,
      dealerSince: '2024-07-15T02:00:00.000Z',
      openReceivables: 700_000,
      overdueAmount: 200_000,
      oldestOverdueDays: 12,
      receivables: [
        // last 90 days: (2026-04-01, 2026-06-30]
        { amount: 500_000, open: 500_000, issueDate: '2026-06-01', dueDate: '2026-07-01', status: 'open' },
        { amount: 300_000, open: 0, issueDate: '2026-04-02', dueDate: '2026-05-02', status: 'paid', paidOn: '2026-05-02' },
        // the 90 days before: (2026-01-01, 2026-04-01]
        { amount: 400_000, open: 0, issueDate: '2026-04-01', dueDate: '2026-05-01', status: 'paid', paidOn: '2026-05-11' },
        { amount: 900_000, open: 0, issueDate: '2026-02-01', dueDate: '2026-03-01', status: 'void' },
        // older, within 12 months
        { amount: 1_000_000, open: 200_000, issueDate: '2025-09-01', dueDate: '2025-10-01', status: 'partially_paid' },
        // more than 365 days ago: ignored
        { amount: 8_000_000, open: 0, issueDate: '2025-06-30', dueDate: '2025-07-30', status: 'paid', paidOn: '2025-07-01' },
      ],
    });
    expect(inputs).toEqual({
      currency: 'CNY',
      creditLimit: 5_000_000,
      paidReceivables: 2,
      paidOnTime: 1,
      averageDaysLate: 5,
      openReceivables: 700_000,
      revenueLast90Days: 800_000,
      overdueAmount: 200_000,
      oldestOverdueDays: 12,
      tenureMonths: 23,
      revenueLast12Months: 2_200_000,
      revenuePrevious90Days: 400_000,
    });
  });

  it('months between counts whole months only', () => {
    expect(monthsBetween('2026-01-31', '2026-02-28')).toBe(0);
    expect(monthsBetween('2026-01-15', '2026-02-15')).toBe(1);
    expect(monthsBetween('2026-03-01', '2026-01-01')).toBe(0);
  });
});

describe('overdue holds', () => {
  it('more than N days overdue holds a dealer not yet on hold; exactly N does not', () => {
    expect(needsOverdueHold({ creditHold: false }, { amount: 1, overdueDays: 31, oldestDueDate: '2026-01-01' }, 30)).toBe(true);
    expect(needsOverdueHold({ creditHold: false }, { amount: 1, overdueDays: 30, oldestDueDate: '2026-01-01' }, 30)).toBe(false);
    expect(needsOverdueHold({ creditHold: true }, { amount: 1, overdueDays: 99 }, 30)).toBe(false);
    expect(overdueHoldReason({ amount: 123_456, overdueDays: 45 }, 30, 'CNY')).toBe('逾期欠款 ¥1,234.56，最长逾期 45 天（超过 30 天）Overdue debt ¥1,234.56, oldest 45 days past due (more than 30)');
  });
});
