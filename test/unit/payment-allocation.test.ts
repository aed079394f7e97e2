import { describe, expect, it } from 'vitest';
import type { Receivable } from '../../domain/credit/credit-profile';
import { allocateOldestFirst, applyToReceivable, MAX_ALLOCATIONS, restoreReceivable, validateExplicitAllocations } from '../../domain/finance/allocation';
import { sameRequest, type Payment } from '../../domain/finance/payment';
import { balanceChange } from '../../domain/finance/wallet';
import { ConflictError, ValidationError } from '../../domain/shared/errors';

const DEALER = '01HZZZZZZZZZZZZZZZZZZZZZZA';

function receivable(n: number, amount: number, dueDate: string, paid = 0, overrides: Partial<Receivable> = {}): Receivable {
  const id = `INV-2026-${String(n).padStart(6, '0')}`;
  return {
    id,
    invoiceNumber: id,
    orderId: `order-${n}`,
    orderNumber: `SO-2026-${String(n).padStart(6, '0')}`,
    dealerId: DEALER,
    region: 'CN-EAST',
    currency: 'CNY',
    amount,
    paid,
    open: amount - paid,
    issueDate: '2026-01-01',
    dueDate,
    status: paid === 0 ? 'open' : paid === amount ? 'paid' : 'partially_paid',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

const a = receivable(1, 10_000, '2026-03-01');
const b = receivable(2, 20_000, '2026-02-01', 5_000);
const c = receivable(3, 30_000, '2026-04-01');

describe('oldest-first allocation', () => {
  it('exact: pays the oldest due first and leaves nothing', () => {
    const plan = allocateOldestFirst(25_000, [a, b, c]);
    expect(plan.allocations).toEqual([
      { invoiceNumber: b.id, amount: 15_000 },
      { invoiceNumber: a.id, amount: 10_000 },
    ]);
    expect(plan).toMatchObject({ allocated: 25_000, remainder: 0 });
  });

  it('partial: the last receivable reached is paid in part', () => {
    const plan = allocateOldestFirst(20_000, [c, a, b]);
    expect(plan.allocations).toEqual([
      { invoiceNumber: b.id, amount: 15_000 },
      { invoiceNumber: a.id, amount: 5_000 },
    ]);
    expect(plan.remainder).toBe(0);
  });

  it('over-payment: what exceeds all open amounts is the remainder (prepayment)', () => {
    const plan = allocateOldestFirst(100_000, [a, b, c]);
    expect(plan.allocated).toBe(55_000);
    expect(plan.remainder).toBe(45_000);
  });

  it('skips paid and void receivables and stops at the allocation limit', () => {
    const paid = receivable(4, 1_000, '2025-01-01', 1_000);
    const voided = receivable(5, 1_000, '2025-01-01', 0, { status: 'void', open: 0 });
    expect(allocateOldestFirst(5_000, [paid, voided]).allocations).toEqual([]);
    const many = Array.from({ length: MAX_ALLOCATIONS + 5 }, (_, i) => receivable(10 + i, 100, '2026-01-01'));
    const plan = allocateOldestFirst(1_000_000, many);
    expect(plan.allocations).toHaveLength(MAX_ALLOCATIONS);
    expect(plan.remainder).toBe(1_000_000 - 100 * MAX_ALLOCATIONS);
  });
});

describe('explicit allocation', () => {
  const read = new Map([a, b, c].map((r) => [r.id, r]));
  const payment = { dealerId: DEALER, amount: 30_000, currency: 'CNY' };

  it('applies the amounts as asked and leaves the rest', () => {
    const plan = validateExplicitAllocations(payment, [{ invoiceNumber: c.id, amount: 20_000 }], read);
    expect(plan).toEqual({ allocations: [{ invoiceNumber: c.id, amount: 20_000 }], allocated: 20_000, remainder: 10_000 });
  });

  it('refuses over-allocation, unknown, foreign, closed, duplicate invoices and a total above the payment', () => {
    const foreign = receivable(7, 1_000, '2026-01-01', 0, { dealerId: '01HZZZZZZZZZZZZZZZZZZZZZZB' });
    const closed = receivable(8, 1_000, '2026-01-01', 1_000);
    const all = new Map([...read, [foreign.id, foreign], [closed.id, closed]]);
    const attempt = () =>
      validateExplicitAllocations(
        payment,
        [
          { invoiceNumber: a.id, amount: 10_001 },
          { invoiceNumber: 'INV-2026-999999', amount: 1 },
          { invoiceNumber: foreign.id, amount: 1 },
          { invoiceNumber: closed.id, amount: 1 },
          { invoiceNumber: c.id, amount: 25_000 },
          { invoiceNumber: c.id, amount: 1 },
        ],
        all,
      );
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      const codes = (error as ValidationError).fieldErrors.map((e) => `${e.path}:${e.code}`);
      expect(codes).toEqual([
        'allocations/0/amount:over_allocation',
        'allocations/1/invoiceNumber:unknown_invoice',
        'allocations/2/invoiceNumber:unknown_invoice',
        'allocations/3/invoiceNumber:invoice_not_open',
        'allocations/5/invoiceNumber:duplicate_invoice',
        'allocations:allocations_exceed_payment',
      ]);
    }
  });
});

describe('receivable moves and reversal', () => {
  it('open → partially_paid → paid, and a reversal walks back; paid + open = amount throughout', () => {
    const partly = applyToReceivable(a, 4_000, 't1');
    expect(partly).toMatchObject({ paid: 4_000, open: 6_000, status: 'partially_paid', version: 2, lastPaymentAt: 't1' });
    const paid = applyToReceivable(partly, 6_000, 't2');
    expect(paid).toMatchObject({ paid: 10_000, open: 0, status: 'paid', version: 3 });
    expect(() => applyToReceivable(paid, 1, 't3')).toThrow(ConflictError);
    const back = restoreReceivable(paid, 6_000, 't3');
    expect(back).toMatchObject({ paid: 4_000, open: 6_000, status: 'partially_paid' });
    const reopened = restoreReceivable(back, 4_000, 't4');
    expect(reopened).toMatchObject({ paid: 0, open: 10_000, status: 'open' });
    expect(() => restoreReceivable(reopened, 1, 't5')).toThrow(ConflictError);
    for (const r of [partly, paid, back, reopened]) expect(r.paid + r.open).toBe(r.amount);
  });

  it('a debit never takes an account below zero', () => {
    const balances = { prepayment: 500, deposit: 0, rebate: 0 };
    expect(balanceChange(balances, 'prepayment', -500)).toEqual({ account: 'prepayment', before: 500, delta: -500, after: 0 });
    expect(() => balanceChange(balances, 'prepayment', -501)).toThrow(ConflictError);
    expect(() => balanceChange(balances, 'deposit', -1)).toThrow(ConflictError);
  });
});

describe('a replay of a bank reference', () => {
  const payment: Payment = {
    id: 'p',
    dealerId: DEALER,
    region: 'CN-EAST',
    currency: 'CNY',
    amount: 1_000,
    valueDate: '2026-05-01',
    method: 'bank_transfer',
    bankReference: 'REF-1',
    allocations: [],
    allocated: 0,
    toPrepayment: 1_000,
    status: 'recorded',
    createdAt: 't',
    createdBy: 'u',
    updatedAt: 't',
    version: 1,
  };
  const input = { dealerId: DEALER, amount: 1_000, currency: 'CNY', valueDate: '2026-05-01', method: 'bank_transfer' as const, bankReference: 'REF-1' };

  it('matches the same content and nothing else', () => {
    expect(sameRequest(payment, input)).toBe(true);
    expect(sameRequest(payment, { ...input, amount: 1_001 })).toBe(false);
    expect(sameRequest(payment, { ...input, note: 'x' })).toBe(false);
    expect(sameRequest(payment, { ...input, allocations: [{ invoiceNumber: 'INV-2026-000001', amount: 1 }] })).toBe(false);
  });
});
