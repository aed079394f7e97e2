import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, RequestContext } from '../../domain/audit/audit-entry';
import type { Page } from '../../domain/dealers/ports';
import {
  ApprovalPolicyRulesSchema,
  ApprovalPolicySchema,
  DEFAULT_APPROVAL_POLICY,
  approvalPolicyVersion,
  approvalSteps,
  escalationTarget,
  stepTimeoutSeconds,
  updateApprovalPolicy,
  type ApprovalPolicy,
  type ApprovalPolicyRules,
  type ApprovalPolicyStore,
  type OrderForApproval,
} from '../../domain/orders/approval-policy';
import { APPROVER_ROLES } from '../../domain/orders/order';
import { NotFoundError, ValidationError, VersionMismatchError } from '../../domain/shared/errors';

const policy = (overrides: Partial<ApprovalPolicy> = {}): ApprovalPolicy => ({ ...structuredClone(DEFAULT_APPROVAL_POLICY), ...overrides });
const dealer = { region: 'CN-EAST' };

/** An order of `gross` 分 with no discount and a clean credit record unless told otherwise. */
function order(gross: number, extra: Partial<OrderForApproval> = {}): OrderForApproval {
  return { currency: 'CNY', totals: { lineExtension: gross, discount: 0, gross }, ...extra };
}

const steps = (o: OrderForApproval, p: ApprovalPolicy = policy()) => approvalSteps(o, dealer, p);
const roles = (o: OrderForApproval, p?: ApprovalPolicy) => steps(o, p).map((s) => s.role);

describe('approvalSteps under the default policy', () => {
  it('auto-approves an order below ¥50,000.00 (no steps)', () => {
    expect(steps(order(4_999_999))).toEqual([]);
    expect(steps(order(0))).toEqual([]);
  });

  it('puts the band boundary exactly at ¥50,000.00 (inclusive)', () => {
    expect(steps(order(4_999_999))).toEqual([]);
    expect(steps(order(5_000_000))).toEqual([{ level: 1, role: 'sales_manager', reasons: ['order gross ¥50,000.00 ≥ ¥50,000.00'] }]);
    expect(roles(order(19_999_999))).toEqual(['sales_manager']);
    expect(roles(order(20_000_000))).toEqual(['sales_manager', 'sales_director']);
  });

  it('one level: ≥ ¥50,000 asks the sales manager', () => {
    expect(steps(order(12_345_678))).toEqual([{ level: 1, role: 'sales_manager', reasons: ['order gross ¥123,456.78 ≥ ¥50,000.00'] }]);
  });

  it('two levels: ≥ ¥200,000 asks the sales manager, then the sales director', () => {
    expect(steps(order(26_000_000))).toEqual([
      { level: 1, role: 'sales_manager', reasons: ['order gross ¥260,000.00 ≥ ¥200,000.00'] },
      { level: 2, role: 'sales_director', reasons: ['order gross ¥260,000.00 ≥ ¥200,000.00'] },
    ]);
  });

  it('discount depth ≥ 20 % adds the sales director, even on a small order', () => {
    // List value ¥10,000.00, discount ¥2,250.00: 22.5 %.
    const small = order(775_000, { totals: { lineExtension: 1_000_000, discount: 225_000, gross: 775_000 } });
    expect(steps(small)).toEqual([{ level: 1, role: 'sales_director', reasons: ['discount 22.5 % ≥ 20 %'] }]);
  });

  it('discount depth boundary: exactly 20 % counts, a fen less does not', () => {
    const at = order(800_000, { totals: { lineExtension: 1_000_000, discount: 200_000, gross: 800_000 } });
    const below = order(800_001, { totals: { lineExtension: 1_000_000, discount: 199_999, gross: 800_001 } });
    expect(steps(at)).toEqual([{ level: 1, role: 'sales_director', reasons: ['discount 20 % ≥ 20 %'] }]);
    expect(steps(below)).toEqual([]);
    // No list value at all: no depth to measure.
    expect(steps(order(0, { totals: { lineExtension: 0, discount: 0, gross: 0 } }))).toEqual([]);
  });

  it('compares huge amounts exactly (products beyond 2^53)', () => {
    const lineExtension = 900_000_000_000_000; // ¥9 trillion: × 10,000 passes 2^53
    const exactly = order(lineExtension - 180_000_000_000_000, { totals: { lineExtension, discount: 180_000_000_000_000, gross: lineExtension - 180_000_000_000_000 } });
    const oneLess = order(0, { totals: { lineExtension, discount: 179_999_999_999_999, gross: 0 } });
    expect(roles(exactly)).toContain('sales_director');
    expect(roles(oneLess)).toEqual([]);
  });

  it('a credit excess adds finance', () => {
    const o = order(100_000, { credit: { excess: 1_200_000, overdueDays: 0, onCreditHold: false } });
    expect(steps(o)).toEqual([{ level: 1, role: 'finance', reasons: ['credit limit exceeded by ¥12,000.00'] }]);
    expect(steps(order(100_000, { credit: { excess: 0, overdueDays: 0, onCreditHold: false } }))).toEqual([]);
  });

  it('debt overdue more than 30 days adds finance (30 itself does not)', () => {
    expect(steps(order(100_000, { credit: { excess: 0, overdueDays: 45, onCreditHold: false } }))).toEqual([
      { level: 1, role: 'finance', reasons: ['debt overdue 45 days > 30'] },
    ]);
    expect(steps(order(100_000, { credit: { excess: 0, overdueDays: 30, onCreditHold: false } }))).toEqual([]);
    expect(steps(order(100_000, { credit: { excess: 0, overdueDays: 31, onCreditHold: false } }))[0]!.reasons).toEqual(['debt overdue 31 days > 30']);
  });

  it('a dealer on credit hold adds finance', () => {
    expect(steps(order(100_000, { credit: { excess: 0, overdueDays: 0, onCreditHold: true } }))).toEqual([
      { level: 1, role: 'finance', reasons: ['dealer on credit hold'] },
    ]);
  });

  it('de-duplicates roles (reasons merged) and orders them sales_manager → sales_director → finance', () => {
    const o: OrderForApproval = {
      currency: 'CNY',
      totals: { lineExtension: 33_548_387, discount: 7_548_387, gross: 26_000_000 },
      credit: { excess: 1_200_000, overdueDays: 45, onCreditHold: true },
    };
    expect(steps(o)).toEqual([
      { level: 1, role: 'sales_manager', reasons: ['order gross ¥260,000.00 ≥ ¥200,000.00'] },
      { level: 2, role: 'sales_director', reasons: ['order gross ¥260,000.00 ≥ ¥200,000.00', 'discount 22.5 % ≥ 20 %'] },
      { level: 3, role: 'finance', reasons: ['credit limit exceeded by ¥12,000.00', 'debt overdue 45 days > 30', 'dealer on credit hold'] },
    ]);
  });

  it('keeps the canonical order whatever order the policy lists roles in', () => {
    const p = policy({
      amountLevels: [{ minGross: 1, roles: ['finance', 'sales_director', 'sales_manager'] }],
      creditHoldRole: 'sales_manager',
    });
    expect(steps(order(10, { credit: { excess: 0, overdueDays: 0, onCreditHold: true } }), p).map((s) => [s.level, s.role, s.reasons.length])).toEqual([
      [1, 'sales_manager', 2],
      [2, 'sales_director', 1],
      [3, 'finance', 1],
    ]);
  });

  it('refuses an order in another currency than the policy', () => {
    const run = () => steps({ ...order(10_000_000), currency: 'USD' });
    expect(run).toThrow(ValidationError);
    try {
      run();
    } catch (error) {
      expect((error as ValidationError).code).toBe('currency_not_supported');
    }
  });

  it('formats amounts of a non-CNY policy with the currency code', () => {
    const p = policy({ currency: 'USD' });
    expect(steps({ ...order(5_000_000), currency: 'USD' }, p)[0]!.reasons).toEqual(['order gross USD 50,000.00 ≥ USD 50,000.00']);
  });
});

describe('approvalSteps properties', () => {
  const arbRoles = fc.uniqueArray(fc.constantFrom(...APPROVER_ROLES), { minLength: 1, maxLength: 3 });
  const arbRole = fc.constantFrom(...APPROVER_ROLES);
  const arbPolicy: fc.Arbitrary<ApprovalPolicy> = fc
    .record({
      amountMins: fc.uniqueArray(fc.integer({ min: 0, max: 50_000_000 }), { maxLength: 5 }),
      amountRoles: fc.array(arbRoles, { minLength: 5, maxLength: 5 }),
      discountMins: fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 4 }),
      discountRoles: fc.array(arbRoles, { minLength: 4, maxLength: 4 }),
      creditExcessRole: arbRole,
      overdue: fc.record({ maxOverdueDays: fc.integer({ min: 0, max: 120 }), role: arbRole }),
      creditHoldRole: arbRole,
    })
    .map((p) =>
      policy({
        amountLevels: [...p.amountMins].sort((a, b) => a - b).map((minGross, i) => ({ minGross, roles: p.amountRoles[i]! })),
        discountLevels: [...p.discountMins].sort((a, b) => a - b).map((minDiscountBasisPoints, i) => ({ minDiscountBasisPoints, roles: p.discountRoles[i]! })),
        creditExcessRole: p.creditExcessRole,
        overdueDebt: p.overdue,
        creditHoldRole: p.creditHoldRole,
      }),
    );
  const arbOrder: fc.Arbitrary<OrderForApproval> = fc
    .record({
      lineExtension: fc.integer({ min: 0, max: 100_000_000 }),
      discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
      credit: fc.option(fc.record({ excess: fc.integer({ min: 0, max: 10_000_000 }), overdueDays: fc.integer({ min: 0, max: 200 }), onCreditHold: fc.boolean() }), { nil: undefined }),
    })
    .map(({ lineExtension, discountShare, credit }) => {
      const discount = Math.floor(lineExtension * discountShare);
      return { currency: 'CNY', totals: { lineExtension, discount, gross: lineExtension - discount }, ...(credit ? { credit } : {}) };
    });

  it('levels are 1..n, roles unique and in canonical order, every step has a reason; the policies used are valid', () => {
    fc.assert(
      fc.property(arbPolicy, arbOrder, (p, o) => {
        expect(ApprovalPolicySchema.safeParse(p).success).toBe(true);
        const planned = approvalSteps(o, dealer, p);
        expect(planned.map((s) => s.level)).toEqual(planned.map((_, i) => i + 1));
        expect(new Set(planned.map((s) => s.role)).size).toBe(planned.length);
        const ranks = planned.map((s) => APPROVER_ROLES.indexOf(s.role));
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        for (const step of planned) expect(step.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('without discount or credit facts, the roles are exactly those of the highest amount band reached', () => {
    fc.assert(
      fc.property(arbPolicy, fc.integer({ min: 0, max: 60_000_000 }), (p, gross) => {
        const band = [...p.amountLevels].reverse().find((b) => gross >= b.minGross);
        expect(new Set(roles(order(gross), p))).toEqual(new Set(band?.roles ?? []));
      }),
      { numRuns: 300 },
    );
  });
});

describe('escalation and timeouts', () => {
  it('follows onTimeout; expire is undefined', () => {
    const p = policy();
    expect(escalationTarget(p, 'sales_manager')).toBe('sales_director');
    expect(escalationTarget(p, 'sales_director')).toBeUndefined();
    expect(escalationTarget(p, 'finance')).toBeUndefined();
    expect(stepTimeoutSeconds(p)).toBe(48 * 3600);
    expect(stepTimeoutSeconds(policy({ stepTimeoutHours: 1 }))).toBe(3600);
  });
});

describe('ApprovalPolicySchema', () => {
  const rules = (): ApprovalPolicyRules => {
    const { version: _v, updatedAt: _a, updatedBy: _b, ...r } = structuredClone(DEFAULT_APPROVAL_POLICY);
    return r;
  };
  const problems = (value: unknown) => {
    const result = ApprovalPolicyRulesSchema.safeParse(value);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('/')}: ${i.message}`);
  };

  it('accepts the default policy (and the full policy schema accepts it with its bookkeeping)', () => {
    expect(problems(rules())).toEqual([]);
    expect(ApprovalPolicySchema.safeParse(DEFAULT_APPROVAL_POLICY).success).toBe(true);
  });

  it('rejects escalation cycles, self-escalation and escalation downwards', () => {
    expect(problems({ ...rules(), onTimeout: { sales_manager: 'sales_director', sales_director: 'sales_manager', finance: 'expire' } })).toEqual([
      expect.stringMatching(/^onTimeout\/sales_director: sales_director may only escalate to a higher role/),
    ]);
    expect(problems({ ...rules(), onTimeout: { sales_manager: 'sales_manager', sales_director: 'expire', finance: 'expire' } })).toHaveLength(1);
    expect(problems({ ...rules(), onTimeout: { sales_manager: 'expire', sales_director: 'expire', finance: 'sales_director' } })).toEqual([
      expect.stringMatching(/^onTimeout\/finance:/),
    ]);
    expect(problems({ ...rules(), onTimeout: { sales_manager: 'finance', sales_director: 'finance', finance: 'expire' } })).toEqual([]);
  });

  it('rejects bands that do not rise strictly', () => {
    expect(problems({ ...rules(), amountLevels: [{ minGross: 100, roles: ['sales_manager'] }, { minGross: 100, roles: ['sales_director'] }] })).toEqual([
      expect.stringMatching(/^amountLevels\/1\/minGross: bands must rise strictly/),
    ]);
    expect(problems({ ...rules(), amountLevels: [{ minGross: 200, roles: ['sales_manager'] }, { minGross: 100, roles: ['sales_director'] }] })).toHaveLength(1);
    expect(
      problems({ ...rules(), discountLevels: [{ minDiscountBasisPoints: 3000, roles: ['sales_director'] }, { minDiscountBasisPoints: 1000, roles: ['finance'] }] }),
    ).toEqual([expect.stringMatching(/^discountLevels\/1\/minDiscountBasisPoints:/)]);
  });

  it('rejects unknown roles, duplicate roles in a band, empty bands, timeouts out of 1..720 and unknown fields', () => {
    expect(problems({ ...rules(), creditExcessRole: 'ceo' })).toHaveLength(1);
    expect(problems({ ...rules(), amountLevels: [{ minGross: 1, roles: ['sales_manager', 'sales_manager'] }] })).toHaveLength(1);
    expect(problems({ ...rules(), amountLevels: [{ minGross: 1, roles: [] }] })).toHaveLength(1);
    expect(problems({ ...rules(), stepTimeoutHours: 0 })).toHaveLength(1);
    expect(problems({ ...rules(), stepTimeoutHours: 721 })).toHaveLength(1);
    expect(problems({ ...rules(), stepTimeoutHours: 720 })).toEqual([]);
    expect(problems({ ...rules(), stepTimeoutHours: 1.5 })).toHaveLength(1);
    expect(problems({ ...rules(), version: 3 })).toHaveLength(1);
    expect(problems({ ...rules(), onTimeout: { ...rules().onTimeout, ceo: 'expire' } })).toHaveLength(1);
    expect(problems({ ...rules(), overdueDebt: { maxOverdueDays: 30, role: 'finance', grace: 3 } })).toHaveLength(1);
    expect(problems({ ...rules(), currency: 'cny' })).toHaveLength(1);
  });
});

// ── the update use case over an in-memory store ──────────────────────────────

class MemoryStore implements ApprovalPolicyStore {
  versions: ApprovalPolicy[] = [];
  audits: AuditEntry[] = [];
  async current() {
    return structuredClone(this.versions.at(-1) ?? DEFAULT_APPROVAL_POLICY);
  }
  async version(n: number) {
    return this.versions.find((p) => p.version === n);
  }
  async list(): Promise<Page<ApprovalPolicy>> {
    return { items: [...this.versions].reverse() };
  }
  async replace(next: ApprovalPolicy, expectedVersion: number, audit: AuditEntry) {
    if ((this.versions.at(-1)?.version ?? 0) !== expectedVersion) throw new VersionMismatchError('Approval policy', 'current');
    this.versions.push(structuredClone(next));
    this.audits.push(audit);
  }
}

function ctx(userId = 'admin-1'): RequestContext {
  let n = 0;
  return {
    principal: { userId, username: userId, roles: ['admin'], regions: [], permissions: new Set(), scope: 'all' },
    requestId: 'req-1',
    now: new Date('2026-03-01T08:00:00.000Z'),
    newId: () => `id-${(n += 1)}`,
  };
}

describe('updateApprovalPolicy', () => {
  const rules = (): ApprovalPolicyRules => {
    const { version: _v, updatedAt: _a, updatedBy: _b, ...r } = structuredClone(DEFAULT_APPROVAL_POLICY);
    return r;
  };

  it('saves version 1 from the default (expected 0), then 2; the audit record shows old and new values', async () => {
    const store = new MemoryStore();
    const v1 = await updateApprovalPolicy(ctx(), store, 0, { ...rules(), stepTimeoutHours: 24 });
    expect(v1).toMatchObject({ version: 1, stepTimeoutHours: 24, updatedBy: 'admin-1', updatedAt: '2026-03-01T08:00:00.000Z' });
    expect(store.audits[0]).toMatchObject({
      action: 'approval_policy.updated',
      entityType: 'approval_policy',
      entityId: 'current',
      changes: { stepTimeoutHours: { before: 48, after: 24 }, updatedBy: { before: 'system', after: 'admin-1' } },
    });
    expect(Object.keys(store.audits[0]!.changes).sort()).toEqual(['stepTimeoutHours', 'updatedBy']);
    const v2 = await updateApprovalPolicy(ctx(), store, 1, { ...rules(), stepTimeoutHours: 24, discountLevels: [] });
    expect(v2.version).toBe(2);
    expect(store.audits[1]!.changes).toEqual({ discountLevels: { before: DEFAULT_APPROVAL_POLICY.discountLevels, after: [] } });
    expect(await approvalPolicyVersion(store, 1)).toEqual(v1);
    await expect(approvalPolicyVersion(store, 9)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a stale expected version and an invalid policy, writing nothing', async () => {
    const store = new MemoryStore();
    await expect(updateApprovalPolicy(ctx(), store, 1, rules())).rejects.toBeInstanceOf(VersionMismatchError);
    await expect(updateApprovalPolicy(ctx(), store, 0, { ...rules(), stepTimeoutHours: 0 })).rejects.toMatchObject({
      code: 'validation_failed',
      fieldErrors: [expect.objectContaining({ path: 'body/stepTimeoutHours' })],
    });
    expect(store.versions).toEqual([]);
    expect(store.audits).toEqual([]);
  });

  it('saving the rules in force unchanged makes no version and no audit record', async () => {
    const store = new MemoryStore();
    expect(await updateApprovalPolicy(ctx(), store, 0, rules())).toEqual(DEFAULT_APPROVAL_POLICY);
    await updateApprovalPolicy(ctx(), store, 0, { ...rules(), stepTimeoutHours: 12 });
    const same = await updateApprovalPolicy(ctx('someone-else'), store, 1, { ...rules(), stepTimeoutHours: 12 });
    expect(same.version).toBe(1);
    expect(store.versions).toHaveLength(1);
    expect(store.audits).toHaveLength(1);
  });

  it('the audit diff does not depend on the key order storage hands back', async () => {
    const store = new MemoryStore();
    await updateApprovalPolicy(ctx(), store, 0, { ...rules(), stepTimeoutHours: 12 });
    // DynamoDB keeps no key order in maps: hand the stored version back reordered.
    const stored = store.versions[0]!;
    store.versions[0] = Object.fromEntries(Object.entries({ ...stored, onTimeout: { finance: 'expire', sales_director: 'expire', sales_manager: 'sales_director' } }).reverse()) as unknown as ApprovalPolicy;
    await updateApprovalPolicy(ctx(), store, 1, { ...rules(), stepTimeoutHours: 12, creditHoldRole: 'sales_director' });
    expect(store.audits[1]!.changes).toEqual({ creditHoldRole: { before: 'finance', after: 'sales_director' } });
  });

  it('does not let a caller mutate the default', () => {
    expect(Object.isFrozen(DEFAULT_APPROVAL_POLICY.amountLevels[0]!.roles)).toBe(true);
  });
});
