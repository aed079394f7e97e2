import * as z from 'zod';
import type { RequestContext } from '../audit/audit-entry';
import { BusinessDateSchema } from '../shared/business-date';
import { ConflictError, ForbiddenError, ValidationError } from '../shared/errors';
import { CurrencySchema, DEFAULT_CURRENCY } from '../shared/money';
import { DealerIdSchema, trimmedText } from '../shared/schemas';

/**
 * Payables (应付): what the enterprise owes a dealer — rebates (返利), refunds for returns
 * (退货退款) and commissions (佣金). Four-eyes: someone with payables:manage records it (draft),
 * someone else with payables:approve approves it, then it is settled once, either as a credit to
 * the dealer's account (rebate kind → the rebate account, others → the prepayment account) or
 * as a bank payout record. Pure: transitions return the next state; the adapter writes it under
 * the version it was read at.
 *
 *   draft ──approve──▶ approved ──settle──▶ settled
 *     └──────cancel──────┴──▶ cancelled
 */

export const PAYABLE_KINDS = ['rebate', 'refund', 'commission'] as const;
export type PayableKind = (typeof PAYABLE_KINDS)[number];

export const PAYABLE_STATUSES = ['draft', 'approved', 'settled', 'cancelled'] as const;
export type PayableStatus = (typeof PAYABLE_STATUSES)[number];

export const SETTLEMENT_METHODS = ['account_credit', 'bank_payout'] as const;
export type SettlementMethod = (typeof SETTLEMENT_METHODS)[number];

/** ¥10,000,000.00 in 分: one payable larger than that is a typo, not a rebate. */
export const MAX_PAYABLE_AMOUNT = 1_000_000_000;

export const CreatePayableSchema = z.strictObject({
  dealerId: DealerIdSchema,
  kind: z.enum(PAYABLE_KINDS),
  amount: z.number().int().min(1).max(MAX_PAYABLE_AMOUNT).describe('integer minor units (分), positive'),
  currency: CurrencySchema.default(DEFAULT_CURRENCY),
  reason: trimmedText(500),
  reference: trimmedText(100).describe('what it pays for: rebate agreement, return (RMA) number, commission period'),
  dueDate: BusinessDateSchema.optional(),
});
export type CreatePayableInput = z.output<typeof CreatePayableSchema>;

export const SettlePayableSchema = z.strictObject({
  method: z.enum(SETTLEMENT_METHODS),
  bankReference: trimmedText(100).optional().describe('required for bank_payout: the bank transfer reference'),
  note: trimmedText(500).optional(),
});
export type SettlePayableInput = z.output<typeof SettlePayableSchema>;

export const CancelPayableSchema = z.strictObject({ reason: trimmedText(500) });

export const PayableListFilterSchema = z.object({
  dealerId: z.string().min(1).max(64).optional(),
  status: z.enum(PAYABLE_STATUSES).optional(),
  kind: z.enum(PAYABLE_KINDS).optional(),
});
export type PayableListFilter = z.output<typeof PayableListFilterSchema>;

/** The dealer account a payable of this kind is credited to (issue 5 §3 wallet). */
export function creditedAccount(kind: PayableKind): 'rebate' | 'prepayment' {
  return kind === 'rebate' ? 'rebate' : 'prepayment';
}

export interface PayableSettlement {
  method: SettlementMethod;
  /** bank_payout: the transfer reference. */
  bankReference?: string;
  /** account_credit: the account credited and its ledger entry. */
  account?: 'rebate' | 'prepayment';
  accountEntryId?: string;
  note?: string;
}

export interface Payable {
  id: string;
  dealerId: string;
  /** The dealer's region when recorded (object-level scope). */
  region: string;
  kind: PayableKind;
  amount: number;
  currency: string;
  reason: string;
  reference: string;
  dueDate?: string;
  status: PayableStatus;
  createdBy: string;
  createdAt: string;
  approvedBy?: string;
  approvedAt?: string;
  settledBy?: string;
  settledAt?: string;
  settlement?: PayableSettlement;
  cancelledBy?: string;
  cancelledAt?: string;
  cancelReason?: string;
  updatedAt: string;
  version: number;
}

export function newPayable(ctx: RequestContext, input: CreatePayableInput, dealer: { id: string; region: string }): Payable {
  const at = ctx.now.toISOString();
  return {
    id: ctx.newId(),
    dealerId: dealer.id,
    region: dealer.region,
    kind: input.kind,
    amount: input.amount,
    currency: input.currency,
    reason: input.reason,
    reference: input.reference,
    ...(input.dueDate ? { dueDate: input.dueDate } : {}),
    status: 'draft',
    createdBy: ctx.principal.userId,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

function next(payable: Payable, ctx: RequestContext, changes: Partial<Payable>): Payable {
  return { ...payable, ...changes, updatedAt: ctx.now.toISOString(), version: payable.version + 1 };
}

/** Approve a draft; the person who recorded it cannot (four-eyes). */
export function approvePayable(payable: Payable, ctx: RequestContext): Payable {
  if (payable.status !== 'draft') throw new ConflictError('payable_not_draft', `Payable ${payable.id} is ${payable.status}; only a draft can be approved.`);
  if (payable.createdBy === ctx.principal.userId) throw new ForbiddenError('The person who recorded a payable cannot approve it.', 'own_payable');
  return next(payable, ctx, { status: 'approved', approvedBy: ctx.principal.userId, approvedAt: ctx.now.toISOString() });
}

/** Settle an approved payable, once. */
export function settlePayable(payable: Payable, ctx: RequestContext, input: SettlePayableInput, accountEntryId?: string): Payable {
  if (payable.status !== 'approved') throw new ConflictError('payable_not_approved', `Payable ${payable.id} is ${payable.status}; only an approved payable can be settled.`);
  if (input.method === 'bank_payout' && !input.bankReference) {
    throw new ValidationError('A bank payout needs the bank reference.', [{ path: 'bankReference', message: 'required for bank_payout' }]);
  }
  if (input.method === 'account_credit' && input.bankReference) {
    throw new ValidationError('An account credit has no bank reference.', [{ path: 'bankReference', message: 'only for bank_payout' }]);
  }
  const settlement: PayableSettlement = {
    method: input.method,
    ...(input.method === 'bank_payout' ? { bankReference: input.bankReference! } : { account: creditedAccount(payable.kind) }),
    ...(accountEntryId ? { accountEntryId } : {}),
    ...(input.note ? { note: input.note } : {}),
  };
  return next(payable, ctx, { status: 'settled', settledBy: ctx.principal.userId, settledAt: ctx.now.toISOString(), settlement });
}

export function cancelPayable(payable: Payable, ctx: RequestContext, reason: string): Payable {
  if (payable.status === 'settled' || payable.status === 'cancelled') {
    throw new ConflictError('payable_closed', `Payable ${payable.id} is ${payable.status} and cannot be cancelled.`);
  }
  return next(payable, ctx, { status: 'cancelled', cancelledBy: ctx.principal.userId, cancelledAt: ctx.now.toISOString(), cancelReason: reason });
}
