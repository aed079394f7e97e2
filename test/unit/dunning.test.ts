import { describe, expect, it } from 'vitest';
import { DEFAULT_DUNNING_OFFSETS, dueHorizon, dunningPolicy, dunningPolicyFromEnv, levelReached, levelToSend } from '../../domain/alerts/dunning';
import { emailList, renderEmail } from '../../domain/alerts/email';
import { buildPaymentDigest, dunningCandidates, type OpenReceivable } from '../../domain/alerts/payment-alerts';
import { buildStockDigest, suggestedReorderQuantity } from '../../domain/alerts/stock-alerts';
import { addDays } from '../../domain/shared/business-date';
import { awsCronExpression, SCHEDULES } from '../../functions/schedules/registry';
import { runDate } from '../../functions/schedules/schedule-handler';

const policy = dunningPolicy(DEFAULT_DUNNING_OFFSETS);
const due = '2026-03-10';

function receivable(id: string, dueDate: string, open: number, extra: Partial<OpenReceivable> = {}): OpenReceivable {
  return { id, invoiceNumber: id, orderNumber: `SO-${id}`, dealerId: 'D1', currency: 'CNY', amount: open, paid: 0, open, issueDate: addDays(dueDate, -30), dueDate, status: 'open', ...extra };
}

describe('dunning levels', () => {
  it('numbers the default levels −3, +1, +15, +30 with labels; the last is the final notice', () => {
    expect(policy.levels.map((l) => [l.level, l.offsetDays])).toEqual([
      [1, -3],
      [2, 1],
      [3, 15],
      [4, 30],
    ]);
    expect(policy.levels[0]!.labelEn).toBe('Reminder, due in 3 days');
    expect(policy.levels[3]!.labelZh).toBe('最终催款通知');
  });

  it('reaches each level on its day and not before', () => {
    expect(levelReached(policy, due, '2026-03-06')).toBeUndefined();
    expect(levelReached(policy, due, '2026-03-07')?.level).toBe(1);
    expect(levelReached(policy, due, '2026-03-10')?.level).toBe(1);
    expect(levelReached(policy, due, '2026-03-11')?.level).toBe(2);
    expect(levelReached(policy, due, '2026-03-24')?.level).toBe(2);
    expect(levelReached(policy, due, '2026-03-25')?.level).toBe(3);
    expect(levelReached(policy, due, '2026-04-09')?.level).toBe(4);
    expect(levelReached(policy, due, '2027-01-01')?.level).toBe(4);
  });

  it('sends a level once, and after missed runs only the level reached (never a stale lower one)', () => {
    expect(levelToSend(policy, due, '2026-03-07', new Set())?.level).toBe(1);
    expect(levelToSend(policy, due, '2026-03-08', new Set([1]))).toBeUndefined();
    expect(levelToSend(policy, due, '2026-03-26', new Set([1]))?.level).toBe(3);
    expect(levelToSend(policy, due, '2026-03-26', new Set([3]))).toBeUndefined();
  });

  it('candidates: the level of the day, or a recent one missed within the catch-up window; paid ones never', () => {
    const list = [receivable('A', due, 100), receivable('B', due, 0, { status: 'paid' }), receivable('C', '2026-01-01', 100)];
    expect(dunningCandidates(list, policy, '2026-03-11', 0).map((c) => [c.receivable.id, c.level.level])).toEqual([['A', 2]]);
    expect(dunningCandidates(list, policy, '2026-03-13', 0)).toEqual([]);
    expect(dunningCandidates(list, policy, '2026-03-13', 2).map((c) => c.receivable.id)).toEqual(['A']);
    // C reached its final level on 01-31: long past the window, not re-sent daily.
    expect(dunningCandidates(list, policy, '2026-03-11', 7).map((c) => c.receivable.id)).toEqual(['A']);
  });

  it('reads offsets from DMS_DUNNING_OFFSETS and rejects bad ones', () => {
    expect(dunningPolicyFromEnv({ DMS_DUNNING_OFFSETS: '7, -5, 0' }).levels.map((l) => l.offsetDays)).toEqual([-5, 0, 7]);
    expect(dunningPolicyFromEnv({}).levels).toHaveLength(4);
    expect(() => dunningPolicyFromEnv({ DMS_DUNNING_OFFSETS: '1,1' })).toThrow(/distinct/);
    expect(() => dunningPolicyFromEnv({ DMS_DUNNING_OFFSETS: '1,x' })).toThrow(/not an integer/);
    expect(() => dunningPolicy([])).toThrow();
  });

  it('the query horizon covers the look-ahead and the earliest reminder', () => {
    expect(dueHorizon(policy, '2026-03-01', 7)).toBe('2026-03-08');
    expect(dueHorizon(dunningPolicy([-10, 5]), '2026-03-01', 7)).toBe('2026-03-11');
  });
});

describe('payment digest', () => {
  it('splits due soon and overdue by level, with totals in 分', () => {
    const digest = buildPaymentDigest({
      date: '2026-03-12',
      receivables: [receivable('SOON', '2026-03-19', 100_00), receivable('LATE', '2026-03-19', 1), receivable('O1', '2026-03-11', 250_50), receivable('O3', '2026-02-20', 1_000_00), receivable('TODAY', '2026-03-12', 5)],
      policy,
      lookAheadDays: 7,
      creditHolds: [],
      remindersSent: 0,
    });
    expect(digest.dueSoon.map((r) => r.id)).toEqual(['TODAY', 'LATE', 'SOON']);
    expect(digest.overdueByLevel.map((g) => [g.level, g.items.map((r) => r.id), g.total])).toEqual([
      [3, ['O3'], 1_000_00],
      [2, ['O1'], 250_50],
    ]);
    expect(digest.totals).toEqual({ dueSoon: 100_06, overdue: 1_250_50, open: 1_350_56, currency: 'CNY' });
  });
});

describe('stock digest', () => {
  it('suggests refilling available stock up to the overstock level, else twice the reorder point, never into overstock', () => {
    expect(suggestedReorderQuantity({ onHand: 5, available: 5, reorderPoint: 10, overstockLevel: 50 })).toBe(45);
    expect(suggestedReorderQuantity({ onHand: 4, available: 4, reorderPoint: 20 })).toBe(36);
    expect(suggestedReorderQuantity({ onHand: 30, available: 5, reorderPoint: 10, overstockLevel: 40 })).toBe(10);
    expect(suggestedReorderQuantity({ onHand: 45, available: 2, reorderPoint: 10, overstockLevel: 40 })).toBe(0);
  });

  it('leaves out alert items whose level moved back inside its thresholds', () => {
    const base = { region: 'CN-EAST', since: '2026-03-01T00:00:00Z', reserved: 0 };
    const digest = buildStockDigest('2026-03-02', [
      { ...base, locationCode: 'W', sku: 'B', kind: 'below_reorder_point', onHand: 3, available: 3, reorderPoint: 5 },
      { ...base, locationCode: 'W', sku: 'A', kind: 'below_reorder_point', onHand: 9, available: 9, reorderPoint: 5 },
      { ...base, locationCode: 'W', sku: 'C', kind: 'above_overstock', onHand: 12, available: 12, overstockLevel: 10 },
    ]);
    expect(digest.below.map((l) => [l.sku, l.suggested])).toEqual([['B', 7]]);
    expect(digest.above.map((l) => [l.sku, l.excess])).toEqual([['C', 2]]);
  });
});

describe('schedule table', () => {
  it('converts each cron to EventBridge syntax', () => {
    expect(awsCronExpression('0 8 * * *')).toBe('cron(0 8 * * ? *)');
    expect(awsCronExpression('0 2 1 * *')).toBe('cron(0 2 1 * ? *)');
    expect(awsCronExpression('30 9 * * MON-FRI')).toBe('cron(30 9 ? * MON-FRI *)');
    expect(() => awsCronExpression('0 8 * * 1')).toThrow(/names/);
    expect(() => awsCronExpression('0 8 1 * MON')).toThrow(/both/);
    for (const spec of SCHEDULES) expect(() => awsCronExpression(spec.cron)).not.toThrow();
    expect(new Set(SCHEDULES.map((s) => s.name)).size).toBe(SCHEDULES.length);
  });

  it('derives the business date from the scheduled time in the enterprise zone, or takes --date', () => {
    expect(runDate({ scheduledTime: '2026-03-31T16:30:00Z' }, new Date())).toBe('2026-04-01');
    expect(runDate({ date: '2026-02-03' }, new Date())).toBe('2026-02-03');
    expect(() => runDate({ date: '2026-02-30' }, new Date())).toThrow();
  });
});

describe('alert email', () => {
  it('escapes HTML and keeps Chinese then English', () => {
    const email = renderEmail(['a@x.example'], {
      subjectZh: '测试',
      subjectEn: 'Test',
      introZh: '你好 <b>',
      introEn: 'Hello',
      sections: [{ titleZh: '表', titleEn: 'Table', columns: ['a'], rows: [['<script>']] }],
    });
    expect(email.subject).toBe('测试 / Test');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.text.indexOf('你好')).toBeLessThan(email.text.indexOf('Hello'));
    expect(emailList(' a@x.example; bad, b@y.example ,a@x.example')).toEqual(['a@x.example', 'b@y.example']);
    expect(emailList('', ['f@x.example'])).toEqual(['f@x.example']);
  });
});
