import { describe, expect, it } from 'vitest';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import { assessCredit, formatAmount } from '../../domain/credit/assess-credit';
import {
  CreditProfileChangesSchema,
  availableCredit,
  creditExposure,
  defaultCreditProfile,
  voidReceivable,
  type CreditProfile,
  type OverdueSummary,
  type Receivable,
} from '../../domain/credit/credit-profile';
import { applyChanges } from '../../domain/credit/credit-service';
import { DomainError } from '../../domain/shared/errors';

const DEALER = { id: '01J0000000000000000000000A', region: 'CN-EAST', createdAt: '2026-01-05T02:00:00.000Z' };
const NONE: OverdueSummary = { amount: 0, overdueDays: 0 };

/** Limit ¥600,000.00; exposure ¥500,000.00 = 300k open orders + 100k unbilled + 150k receivables − 50k prepaid. */
function profile(overrides: Partial<CreditProfile> = {}): CreditProfile {
  return {
    ...defaultCreditProfile(DEALER),
    creditLimit: 60_000_000,
    openOrders: 30_000_000,
    unbilledShipments: 10_000_000,
    openReceivables: 15_000_000,
    prepaymentBalance: 5_000_000,
    ...overrides,
  };
}

describe('exposure figures', () => {
  it('exposure = open orders + unbilled shipments + open receivables − prepayment; available = limit − exposure', () => {
    expect(creditExposure(profile())).toBe(50_000_000);
    expect(availableCredit(profile())).toBe(10_000_000);
    expect(availableCredit(profile({ creditLimit: 40_000_000 }))).toBe(-10_000_000);
  });

  it('the default profile: no credit, 30 days, nothing prepaid, nothing open, version 1, CNY', () => {
    expect(defaultCreditProfile(DEALER)).toEqual({
      dealerId: DEALER.id,
      region: 'CN-EAST',
      currency: 'CNY',
      creditLimit: 0,
      paymentTermsDays: 30,
      prepaymentBalance: 0,
      creditHold: false,
      openOrders: 0,
      unbilledShipments: 0,
      openReceivables: 0,
      updatedAt: DEALER.createdAt,
      version: 1,
    });
  });
});

describe('assessCredit', () => {
  it('within the limit: no excess, no reasons, before/after exposure', () => {
    const result = assessCredit({ profile: profile(), overdue: NONE, orderGross: 9_999_999, maxOverdueDays: 30 });
    expect(result).toEqual({
      currency: 'CNY',
      creditLimit: 60_000_000,
      exposureBefore: 50_000_000,
      exposureAfter: 59_999_999,
      excess: 0,
      overdueAmount: 0,
      overdueDays: 0,
      onCreditHold: false,
      reasons: [],
    });
  });

  it('exactly at the limit passes', () => {
    const result = assessCredit({ profile: profile(), overdue: NONE, orderGross: 10_000_000, maxOverdueDays: 30 });
    expect(result.exposureAfter).toBe(60_000_000);
    expect(result.excess).toBe(0);
    expect(result.reasons).toEqual([]);
  });

  it('over the limit by 1 分 is an excess of 1 分, with the amounts in the reason', () => {
    const result = assessCredit({ profile: profile(), overdue: NONE, orderGross: 10_000_001, maxOverdueDays: 30 });
    expect(result.excess).toBe(1);
    expect(result.reasons).toEqual(['exposure ¥600,000.01 would exceed the credit limit ¥600,000.00 by ¥0.01']);
  });

  it('formats the example from the design: ¥612,000.00 against ¥600,000.00', () => {
    const result = assessCredit({ profile: profile(), overdue: NONE, orderGross: 11_200_000, maxOverdueDays: 30 });
    expect(result.reasons).toEqual(['exposure ¥612,000.00 would exceed the credit limit ¥600,000.00 by ¥12,000.00']);
  });

  it('prepayment offsets exposure: the same order passes once the dealer has paid enough in advance', () => {
    const order = { overdue: NONE, orderGross: 20_000_000, maxOverdueDays: 30 };
    expect(assessCredit({ ...order, profile: profile() }).excess).toBe(10_000_000);
    const prepaid = assessCredit({ ...order, profile: profile({ prepaymentBalance: 15_000_000 }) });
    expect(prepaid.exposureBefore).toBe(40_000_000);
    expect(prepaid.exposureAfter).toBe(60_000_000);
    expect(prepaid.excess).toBe(0);
    expect(prepaid.reasons).toEqual([]);
  });

  it('a limit of 0: nothing open and nothing ordered is no excess; any order exceeds unless prepaid', () => {
    const none = defaultCreditProfile(DEALER);
    expect(assessCredit({ profile: none, overdue: NONE, orderGross: 0, maxOverdueDays: 30 }).excess).toBe(0);
    const one = assessCredit({ profile: none, overdue: NONE, orderGross: 1, maxOverdueDays: 30 });
    expect(one.excess).toBe(1);
    expect(one.reasons).toEqual(['exposure ¥0.01 would exceed the credit limit ¥0.00 by ¥0.01']);
    const prepaid = assessCredit({ profile: { ...none, prepaymentBalance: 1_000_000 }, overdue: NONE, orderGross: 1_000_000, maxOverdueDays: 30 });
    expect(prepaid.exposureBefore).toBe(-1_000_000);
    expect(prepaid.exposureAfter).toBe(0);
    expect(prepaid.excess).toBe(0);
    expect(prepaid.reasons).toEqual([]);
  });

  it('overdue exactly maxOverdueDays passes; one day more routes to finance', () => {
    const at = (overdueDays: number) =>
      assessCredit({ profile: profile(), overdue: { amount: 1_234_567, oldestDueDate: '2026-03-01', overdueDays }, orderGross: 100, maxOverdueDays: 30 });
    expect(at(30).reasons).toEqual([]);
    expect(at(30).overdueAmount).toBe(1_234_567);
    expect(at(30).overdueDays).toBe(30);
    expect(at(31).reasons).toEqual(['debt overdue 31 days (more than 30)']);
    expect(at(45).reasons).toEqual(['debt overdue 45 days (more than 30)']);
  });

  it('credit hold routes to finance with its reason, even well within the limit', () => {
    const result = assessCredit({ profile: profile({ creditHold: true, creditHoldReason: '法务纠纷' }), overdue: NONE, orderGross: 100, maxOverdueDays: 30 });
    expect(result.onCreditHold).toBe(true);
    expect(result.excess).toBe(0);
    expect(result.reasons).toEqual(['dealer on credit hold: 法务纠纷']);
  });

  it('lists every reason that applies, in order: limit, overdue, hold', () => {
    const result = assessCredit({
      profile: profile({ creditHold: true, creditHoldReason: 'under review' }),
      overdue: { amount: 500_000, oldestDueDate: '2026-01-01', overdueDays: 91 },
      orderGross: 12_345_678,
      maxOverdueDays: 60,
    });
    expect(result.reasons).toEqual([
      'exposure ¥623,456.78 would exceed the credit limit ¥600,000.00 by ¥23,456.78',
      'debt overdue 91 days (more than 60)',
      'dealer on credit hold: under review',
    ]);
  });

  it('refuses fractional or negative amounts instead of guessing', () => {
    expect(() => assessCredit({ profile: profile(), overdue: NONE, orderGross: 1.5, maxOverdueDays: 30 })).toThrow(RangeError);
    expect(() => assessCredit({ profile: profile(), overdue: NONE, orderGross: -1, maxOverdueDays: 30 })).toThrow(RangeError);
  });

  it('formats other currencies with their code', () => {
    expect(formatAmount(123_456_789, 'CNY')).toBe('¥1,234,567.89');
    expect(formatAmount(-5, 'CNY')).toBe('-¥0.05');
    expect(formatAmount(100_000, 'USD')).toBe('USD 1,000.00');
  });
});

describe('credit terms changes', () => {
  it('accepts a partial, non-empty, strict body; counters are not writable', () => {
    expect(CreditProfileChangesSchema.safeParse({ paymentTermsDays: 45 }).success).toBe(true);
    // Limits change through approved limit requests, prepayment through the account ledger.
    expect(CreditProfileChangesSchema.safeParse({ creditLimit: 100 }).success).toBe(false);
    expect(CreditProfileChangesSchema.safeParse({ prepaymentBalance: 100 }).success).toBe(false);
    expect(CreditProfileChangesSchema.safeParse({}).success).toBe(false);
    expect(CreditProfileChangesSchema.safeParse({ openOrders: 0 }).success).toBe(false);
    expect(CreditProfileChangesSchema.safeParse({ paymentTermsDays: 1.5 }).success).toBe(false);
    expect(CreditProfileChangesSchema.safeParse({ paymentTermsDays: -1 }).success).toBe(false);
    expect(CreditProfileChangesSchema.safeParse({ paymentTermsDays: 366 }).success).toBe(false);
    expect(CreditProfileChangesSchema.safeParse({ paymentTermsDays: 0 }).success).toBe(true);
  });

  it('a hold needs a reason; lifting it clears the reason; a reason without a hold is refused', () => {
    const base = defaultCreditProfile(DEALER);
    expect(() => applyChanges(base, { creditHold: true })).toThrow(DomainError);
    const held = applyChanges(base, { creditHold: true, creditHoldReason: '逾期' });
    expect(held).toMatchObject({ creditHold: true, creditHoldReason: '逾期' });
    expect(applyChanges(held, { paymentTermsDays: 5 })).toMatchObject({ creditHold: true, creditHoldReason: '逾期', paymentTermsDays: 5 });
    expect(applyChanges(held, { creditHoldReason: '新原因' }).creditHoldReason).toBe('新原因');
    expect(() => applyChanges(held, { creditHoldReason: null })).toThrow(DomainError);
    const lifted = applyChanges(held, { creditHold: false });
    expect(lifted.creditHold).toBe(false);
    expect(lifted).not.toHaveProperty('creditHoldReason');
    expect(() => applyChanges(base, { creditHoldReason: '无' })).toThrow(DomainError);
  });
});

describe('voiding a receivable', () => {
  const receivable: Receivable = {
    id: 'INV-2026-000001',
    invoiceNumber: 'INV-2026-000001',
    orderId: '01J0000000000000000000000B',
    orderNumber: 'SO-2026-000001',
    dealerId: DEALER.id,
    region: 'CN-EAST',
    currency: 'CNY',
    amount: 1_130_000,
    paid: 0,
    open: 1_130_000,
    issueDate: '2026-04-01',
    dueDate: '2026-05-01',
    status: 'open',
    createdAt: '2026-04-01T02:00:00.000Z',
    updatedAt: '2026-04-01T02:00:00.000Z',
    version: 1,
  };

  it('sets status void, nothing open, the next version', () => {
    expect(voidReceivable(receivable, '2026-04-02T00:00:00.000Z')).toEqual({
      ...receivable,
      status: 'void',
      open: 0,
      updatedAt: '2026-04-02T00:00:00.000Z',
      version: 2,
    });
  });

  it('refuses one with payments or one already void', () => {
    expect(() => voidReceivable({ ...receivable, paid: 1, open: 1_129_999, status: 'partially_paid' }, 'x')).toThrow(/payments/);
    expect(() => voidReceivable({ ...receivable, status: 'void', open: 0 }, 'x')).toThrow(/already void/);
  });
});

describe('who may read credit', () => {
  it('dealer administrators read credit (their own), dealer users and warehouse staff do not', () => {
    const may = (role: string) => resolvePrincipal({ userId: 'u', username: 'u', roles: [role], regions: [] }, [BUILT_IN_ROLES.get(role)!]).permissions.has('credit:read');
    expect(may('dealer_admin')).toBe(true);
    expect(may('finance')).toBe(true);
    expect(may('dealer_user')).toBe(false);
    expect(may('warehouse')).toBe(false);
  });
});
