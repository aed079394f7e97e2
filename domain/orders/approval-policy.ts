import * as z from 'zod';
import { auditEntry, type AuditEntry, type RequestContext } from '../audit/audit-entry';
import type { Page } from '../dealers/ports';
import { formatYuan } from '../invoicing/invoice';
import { NotFoundError, ValidationError, VersionMismatchError, type FieldError } from '../shared/errors';
import { CurrencySchema, DEFAULT_CURRENCY } from '../shared/money';
import { APPROVER_ROLES, type ApproverRole } from './order';

/**
 * The order approval policy (审批策略) as data: which roles must approve an order, in which
 * order, how long each step may wait and who takes over when it times out. Admins edit it;
 * every change is a new immutable version (history is kept) with its audit record. Orders keep
 * the steps planned at submission, so a new version never re-routes an order already waiting.
 */

/** One band of order gross: from `minGross` (分, inclusive) upwards these roles approve. */
export interface AmountLevel {
  minGross: number;
  roles: ApproverRole[];
}

/** One band of discount depth (Σ discount / Σ list value, basis points, inclusive). */
export interface DiscountLevel {
  minDiscountBasisPoints: number;
  roles: ApproverRole[];
}

export type Escalation = ApproverRole | 'expire';

export interface ApprovalPolicy {
  /** 1, 2, 3… each change makes a new version; 0 is the built-in default (nothing stored yet). */
  version: number;
  /** Every amount of the policy is in minor units (分) of this currency. */
  currency: string;
  /** The highest band the order's gross reaches applies; below every band no step (auto-approve). */
  amountLevels: AmountLevel[];
  /** The highest band the discount depth reaches adds its roles. */
  discountLevels: DiscountLevel[];
  /** A credit excess > 0 (DESIGN §6) adds this step. */
  creditExcessRole: ApproverRole;
  /** Debt overdue more than `maxOverdueDays` adds this step. */
  overdueDebt: { maxOverdueDays: number; role: ApproverRole };
  /** A dealer on credit hold adds this step. */
  creditHoldRole: ApproverRole;
  /** How long one step waits for a decision before it escalates or expires. */
  stepTimeoutHours: number;
  /** Who takes over a timed-out step; `expire` ends the approval (the order expires). */
  onTimeout: Record<ApproverRole, Escalation>;
  updatedAt: string;
  updatedBy: string;
}

/** What an admin edits: the policy without its bookkeeping (the PUT body). */
export type ApprovalPolicyRules = Omit<ApprovalPolicy, 'version' | 'updatedAt' | 'updatedBy'>;

/** A step the policy asks for, before the order's workflow gives it a status and times. */
export interface PlannedStep {
  level: number;
  role: ApproverRole;
  reasons: string[];
}

/** The audit trail of the policy: one entity, every version's change recorded against it. */
export const APPROVAL_POLICY_ENTITY = { type: 'approval_policy', id: 'current' } as const;

export const MAX_POLICY_LEVELS = 20;
/** ¥1,000,000,000,000.00: above any order, far below 2^53 分. */
export const MAX_POLICY_AMOUNT = 100_000_000_000_000;
export const MAX_STEP_TIMEOUT_HOURS = 720;

/** Rank of each role in the chain: steps run in this order, escalation only goes upwards. */
const RANK: Record<ApproverRole, number> = Object.fromEntries(APPROVER_ROLES.map((role, i) => [role, i])) as Record<ApproverRole, number>;

// ── schema ───────────────────────────────────────────────────────────────────

const RoleSchema = z.enum(APPROVER_ROLES);

const RolesSchema = z
  .array(RoleSchema)
  .min(1)
  .max(APPROVER_ROLES.length)
  .refine((roles) => new Set(roles).size === roles.length, 'each role at most once per band');

/** Bands must rise strictly, so that "the highest band reached" is unambiguous. */
function strictlyIncreasing<K extends string>(key: K) {
  return (levels: Record<K, number>[], ctx: z.RefinementCtx) => {
    for (let i = 1; i < levels.length; i += 1) {
      if (levels[i]![key] <= levels[i - 1]![key]) {
        ctx.addIssue({ code: 'custom', path: [i, key], message: `bands must rise strictly: ${levels[i]![key]} is not above ${levels[i - 1]![key]}` });
      }
    }
  };
}

const EscalationSchema = z.union([RoleSchema, z.literal('expire')]);

const OnTimeoutSchema = z
  .strictObject({
    sales_manager: EscalationSchema,
    sales_director: EscalationSchema,
    finance: EscalationSchema,
  })
  .superRefine((escalation, ctx) => {
    // Only upwards: no cycles, and every chain of escalations ends in `expire`.
    for (const role of APPROVER_ROLES) {
      const target = escalation[role];
      if (target !== 'expire' && RANK[target] <= RANK[role]) {
        ctx.addIssue({ code: 'custom', path: [role], message: `${role} may only escalate to a higher role (${APPROVER_ROLES.slice(RANK[role] + 1).join(', ') || 'none'}) or expire` });
      }
    }
  })
  .describe('who takes over a step that timed out: a higher role, or `expire`');

export const ApprovalPolicyRulesSchema = z.strictObject({
  currency: CurrencySchema.describe('all amounts of the policy are minor units (分) of this currency'),
  amountLevels: z
    .array(
      z.strictObject({
        minGross: z.number().int().min(0).max(MAX_POLICY_AMOUNT).describe('order gross from which the band applies (分, inclusive)'),
        roles: RolesSchema,
      }),
    )
    .max(MAX_POLICY_LEVELS)
    .superRefine(strictlyIncreasing('minGross'))
    .describe('the highest band the order gross reaches applies; below every band the order is approved without steps'),
  discountLevels: z
    .array(
      z.strictObject({
        minDiscountBasisPoints: z.number().int().min(1).max(10_000).describe('discount depth from which the band applies (basis points, 2000 = 20 %)'),
        roles: RolesSchema,
      }),
    )
    .max(MAX_POLICY_LEVELS)
    .superRefine(strictlyIncreasing('minDiscountBasisPoints'))
    .describe('discount depth = Σ discount / Σ list value; the highest band reached adds its roles'),
  creditExcessRole: RoleSchema.describe('approves orders that exceed the credit limit'),
  overdueDebt: z.strictObject({
    maxOverdueDays: z.number().int().min(0).max(3650),
    role: RoleSchema,
  }),
  creditHoldRole: RoleSchema.describe('approves orders of a dealer on credit hold'),
  stepTimeoutHours: z.number().int().min(1).max(MAX_STEP_TIMEOUT_HOURS),
  onTimeout: OnTimeoutSchema,
});

export const ApprovalPolicySchema = ApprovalPolicyRulesSchema.extend({
  version: z.number().int().min(0).describe('0 = the built-in default, nothing stored yet'),
  updatedAt: z.iso.datetime({ offset: false }),
  updatedBy: z.string().min(1),
});

// Compile-time check that the schemas and the interfaces describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _rulesMatch: Same<z.output<typeof ApprovalPolicyRulesSchema>, ApprovalPolicyRules> = true;
const _policyMatches: Same<z.output<typeof ApprovalPolicySchema>, ApprovalPolicy> = true;
void _rulesMatch;
void _policyMatches;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The policy in force until an admin saves one: ≥ ¥50,000 sales manager, ≥ ¥200,000 sales manager
 * then sales director, discount ≥ 20 % sales director, any credit problem finance, 48 h per step.
 */
export const DEFAULT_APPROVAL_POLICY: Readonly<ApprovalPolicy> = deepFreeze({
  version: 0,
  currency: DEFAULT_CURRENCY,
  amountLevels: [
    { minGross: 5_000_000, roles: ['sales_manager'] },
    { minGross: 20_000_000, roles: ['sales_manager', 'sales_director'] },
  ],
  discountLevels: [{ minDiscountBasisPoints: 2_000, roles: ['sales_director'] }],
  creditExcessRole: 'finance',
  overdueDebt: { maxOverdueDays: 30, role: 'finance' },
  creditHoldRole: 'finance',
  stepTimeoutHours: 48,
  onTimeout: { sales_manager: 'sales_director', sales_director: 'expire', finance: 'expire' },
  // Never stored: marks the built-in default rather than anybody's edit.
  updatedAt: '1970-01-01T00:00:00.000Z',
  updatedBy: 'system',
});

// ── planning the steps ───────────────────────────────────────────────────────

export interface OrderForApproval {
  currency: string;
  totals: { lineExtension: number; discount: number; gross: number };
  credit?: { excess: number; overdueDays: number; onCreditHold: boolean };
}

function formatAmount(minor: number, currency: string): string {
  const yuan = formatYuan(minor);
  return currency === 'CNY' ? yuan : yuan.replace('¥', `${currency} `);
}

/** 2250 → "22.5", 2000 → "20". */
function formatPercent(basisPoints: number): string {
  return (basisPoints / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** The highest band whose threshold `reached` says the order reaches (bands rise strictly). */
function highestBand<T>(bands: readonly T[], reached: (band: T) => boolean): T | undefined {
  for (let i = bands.length - 1; i >= 0; i -= 1) if (reached(bands[i]!)) return bands[i];
  return undefined;
}

/**
 * The approver roles an order needs under `policy`, ordered sales_manager → sales_director →
 * finance, each role once with all its reasons, levels 1..n. Empty: approve without steps.
 * Pure: the credit facts come with the order (its assessment at submission).
 *
 * `dealer` is part of the signature so that regional policies can be added without touching
 * the callers; no rule reads it yet.
 */
export function approvalSteps(order: OrderForApproval, dealer: { region: string }, policy: ApprovalPolicy): PlannedStep[] {
  void dealer;
  if (order.currency !== policy.currency) {
    throw new ValidationError(
      `The approval policy is in ${policy.currency}; an order in ${order.currency} cannot be routed.`,
      [{ path: 'currency', message: `orders are approved in ${policy.currency}`, code: 'currency_not_supported' }],
      'currency_not_supported',
    );
  }
  const reasons = new Map<ApproverRole, string[]>();
  const add = (role: ApproverRole, reason: string) => reasons.set(role, [...(reasons.get(role) ?? []), reason]);
  const money = (amount: number) => formatAmount(amount, policy.currency);
  const { gross, discount, lineExtension } = order.totals;

  const amountBand = highestBand(policy.amountLevels, (band) => gross >= band.minGross);
  if (amountBand) {
    for (const role of amountBand.roles) add(role, `order gross ${money(gross)} ≥ ${money(amountBand.minGross)}`);
  }

  if (lineExtension > 0 && discount > 0) {
    // discount / lineExtension ≥ bp / 10000, compared exactly (the products can pass 2^53).
    const reaches = (bp: number) => BigInt(discount) * 10_000n >= BigInt(bp) * BigInt(lineExtension);
    const discountBand = highestBand(policy.discountLevels, (band) => reaches(band.minDiscountBasisPoints));
    if (discountBand) {
      // Rounding half-up cannot show a reached depth below its threshold (thresholds are whole bp).
      const depth = Number((BigInt(discount) * 20_000n + BigInt(lineExtension)) / (2n * BigInt(lineExtension)));
      for (const role of discountBand.roles) add(role, `discount ${formatPercent(depth)} % ≥ ${formatPercent(discountBand.minDiscountBasisPoints)} %`);
    }
  }

  const credit = order.credit;
  if (credit) {
    if (credit.excess > 0) add(policy.creditExcessRole, `credit limit exceeded by ${money(credit.excess)}`);
    if (credit.overdueDays > policy.overdueDebt.maxOverdueDays) {
      add(policy.overdueDebt.role, `debt overdue ${credit.overdueDays} ${credit.overdueDays === 1 ? 'day' : 'days'} > ${policy.overdueDebt.maxOverdueDays}`);
    }
    if (credit.onCreditHold) add(policy.creditHoldRole, 'dealer on credit hold');
  }

  return APPROVER_ROLES.filter((role) => reasons.has(role)).map((role, i) => ({ level: i + 1, role, reasons: reasons.get(role)! }));
}

/** Who takes over a timed-out step of `role`; undefined: the approval expires. */
export function escalationTarget(policy: ApprovalPolicy, role: ApproverRole): ApproverRole | undefined {
  const target = policy.onTimeout[role];
  return target === 'expire' ? undefined : target;
}

export function stepTimeoutSeconds(policy: ApprovalPolicy): number {
  return policy.stepTimeoutHours * 3600;
}

// ── storage port and the update use case ─────────────────────────────────────

/** Port: the policy's current version and its history. */
export interface ApprovalPolicyStore {
  /** The policy in force: the latest stored version, or DEFAULT_APPROVAL_POLICY (version 0). */
  current(): Promise<ApprovalPolicy>;
  /** A stored version (1..n); undefined when there is none. */
  version(n: number): Promise<ApprovalPolicy | undefined>;
  /** Stored versions, newest first. */
  list(page: { limit: number; cursor?: string }): Promise<Page<ApprovalPolicy>>;
  /**
   * Makes `next` current and keeps it as an immutable version, with the audit record, in one
   * transaction; VersionMismatchError when the current version is no longer `expectedVersion`.
   */
  replace(next: ApprovalPolicy, expectedVersion: number, audit: AuditEntry): Promise<void>;
}

/**
 * The rules in a fixed key order, so that two policies compare equal exactly when they route
 * alike (storage does not keep the key order of maps, and audit diffs compare serialisations).
 */
function rulesOf(policy: ApprovalPolicyRules): ApprovalPolicyRules {
  return {
    currency: policy.currency,
    amountLevels: policy.amountLevels.map((band) => ({ minGross: band.minGross, roles: [...band.roles] })),
    discountLevels: policy.discountLevels.map((band) => ({ minDiscountBasisPoints: band.minDiscountBasisPoints, roles: [...band.roles] })),
    creditExcessRole: policy.creditExcessRole,
    overdueDebt: { maxOverdueDays: policy.overdueDebt.maxOverdueDays, role: policy.overdueDebt.role },
    creditHoldRole: policy.creditHoldRole,
    stepTimeoutHours: policy.stepTimeoutHours,
    onTimeout: { sales_manager: policy.onTimeout.sales_manager, sales_director: policy.onTimeout.sales_director, finance: policy.onTimeout.finance },
  };
}

/** A policy with its keys in a fixed order (as read back from storage, whatever the order there). */
export function normalizePolicy(policy: ApprovalPolicy): ApprovalPolicy {
  return { version: policy.version, ...rulesOf(policy), updatedAt: policy.updatedAt, updatedBy: policy.updatedBy };
}

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: ['body', ...issue.path.map(String)].join('/'), message: issue.message, code: issue.code }));
}

/** Validates an edited policy (bands rising, roles known, escalation only upwards); ValidationError with field errors. */
export function parseRules(input: unknown): ApprovalPolicyRules {
  const result = ApprovalPolicyRulesSchema.safeParse(input);
  if (!result.success) throw new ValidationError('The approval policy is not valid.', fieldErrors(result.error));
  return result.data;
}

/**
 * Saves `input` as the next version if the caller read the current one (`expectedVersion`).
 * Saving the rules already in force changes nothing: no new version, no audit record.
 */
export async function updateApprovalPolicy(ctx: RequestContext, store: ApprovalPolicyStore, expectedVersion: number, input: ApprovalPolicyRules): Promise<ApprovalPolicy> {
  const rules = rulesOf(parseRules(input));
  const current = normalizePolicy(await store.current());
  if (current.version !== expectedVersion) throw new VersionMismatchError('Approval policy', APPROVAL_POLICY_ENTITY.id);
  if (JSON.stringify(rulesOf(current)) === JSON.stringify(rules)) return current;
  const next: ApprovalPolicy = { version: current.version + 1, ...rules, updatedAt: ctx.now.toISOString(), updatedBy: ctx.principal.userId };
  await store.replace(next, expectedVersion, auditEntry(ctx, 'approval_policy.updated', APPROVAL_POLICY_ENTITY, current, next));
  return next;
}

/** A stored version of the policy; NotFoundError when there is none. */
export async function approvalPolicyVersion(store: ApprovalPolicyStore, n: number): Promise<ApprovalPolicy> {
  const policy = await store.version(n);
  if (!policy) throw new NotFoundError('Approval policy version', String(n));
  return policy;
}
