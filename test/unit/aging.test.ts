import { describe, expect, it } from 'vitest';
import { ageReceivables, bucketOf } from '../../domain/finance/aging';

describe('aging buckets', () => {
  const asOf = '2026-06-30';

  it('puts each boundary day in the documented bucket', () => {
    expect(bucketOf('2026-07-15', asOf)).toBe('current');
    expect(bucketOf('2026-06-30', asOf)).toBe('current'); // due today: not yet past due
    expect(bucketOf('2026-06-29', asOf)).toBe('d1_30'); // 1 day
    expect(bucketOf('2026-05-31', asOf)).toBe('d1_30'); // 30 days
    expect(bucketOf('2026-05-30', asOf)).toBe('d31_60'); // 31 days
    expect(bucketOf('2026-05-01', asOf)).toBe('d31_60'); // 60 days
    expect(bucketOf('2026-04-30', asOf)).toBe('d61_90'); // 61 days
    expect(bucketOf('2026-04-01', asOf)).toBe('d61_90'); // 90 days
    expect(bucketOf('2026-03-31', asOf)).toBe('d90_plus'); // 91 days
    expect(bucketOf('2024-01-01', asOf)).toBe('d90_plus');
  });

  it('sums open amounts per dealer and in total, ignoring closed ones', () => {
    const report = ageReceivables(
      [
        { dealerId: 'B', dueDate: '2026-07-01', open: 100 },
        { dealerId: 'A', dueDate: '2026-06-15', open: 200 },
        { dealerId: 'A', dueDate: '2026-05-15', open: 300 },
        { dealerId: 'B', dueDate: '2026-04-15', open: 400 },
        { dealerId: 'A', dueDate: '2026-01-15', open: 500 },
        { dealerId: 'A', dueDate: '2026-01-15', open: 0 },
      ],
      asOf,
      'CNY',
    );
    expect(report.dealers).toEqual([
      { dealerId: 'A', current: 0, d1_30: 200, d31_60: 300, d61_90: 0, d90_plus: 500, total: 1_000, count: 3 },
      { dealerId: 'B', current: 100, d1_30: 0, d31_60: 0, d61_90: 400, d90_plus: 0, total: 500, count: 2 },
    ]);
    expect(report.total).toEqual({ current: 100, d1_30: 200, d31_60: 300, d61_90: 400, d90_plus: 500, total: 1_500, count: 5 });
  });
});
