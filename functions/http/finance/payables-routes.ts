import * as z from 'zod';
import {
  CancelPayableSchema,
  CreatePayableSchema,
  PAYABLE_KINDS,
  PAYABLE_STATUSES,
  PayableListFilterSchema,
  SETTLEMENT_METHODS,
  SettlePayableSchema,
} from '../../../domain/finance/payables';
import type { RouteSpec } from '../route';
import { CursorPageQuery, page } from '../schemas';

const Fen = z.number().int().describe('integer minor units (分)');

const PayableParams = z.strictObject({ payableId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a payable id (ULID)') });

export const PayableListQuery = CursorPageQuery.extend(PayableListFilterSchema.shape);

export const PayableView = z.object({
  id: z.string(),
  dealerId: z.string(),
  region: z.string(),
  kind: z.enum(PAYABLE_KINDS),
  amount: Fen,
  currency: z.string(),
  reason: z.string(),
  reference: z.string(),
  dueDate: z.string().optional(),
  status: z.enum(PAYABLE_STATUSES),
  createdBy: z.string(),
  createdAt: z.string(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  settledBy: z.string().optional(),
  settledAt: z.string().optional(),
  settlement: z
    .object({
      method: z.enum(SETTLEMENT_METHODS),
      bankReference: z.string().optional(),
      account: z.enum(['rebate', 'prepayment']).optional(),
      accountEntryId: z.string().optional(),
      note: z.string().optional(),
    })
    .optional(),
  cancelledBy: z.string().optional(),
  cancelledAt: z.string().optional(),
  cancelReason: z.string().optional(),
  updatedAt: z.string(),
  version: z.number().int(),
});

/** Payables (应付): rebates, refunds for returns and commissions owed to dealers. */
export const payableRoutes = [
  {
    operationId: 'createPayable',
    method: 'POST',
    path: '/payables',
    summary: 'Record a payable owed to a dealer (rebate, refund, commission) as a draft',
    permission: 'payables:manage',
    body: CreatePayableSchema,
    response: PayableView,
    successStatus: 201,
    idempotent: true,
    returnsETag: true,
    mutates: true,
  },
  {
    operationId: 'listPayables',
    method: 'GET',
    path: '/payables',
    summary: 'List payables, newest first (filter by dealer, status, kind)',
    description: 'Dealers see their own payables only.',
    permission: 'payables:read',
    query: PayableListQuery,
    response: page(PayableView),
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getPayable',
    method: 'GET',
    path: '/payables/{payableId}',
    summary: 'Read a payable',
    permission: 'payables:read',
    params: PayableParams,
    response: PayableView,
    successStatus: 200,
    returnsETag: true,
    mutates: false,
  },
  {
    operationId: 'approvePayable',
    method: 'POST',
    path: '/payables/{payableId}/approval',
    summary: 'Approve a draft payable (not by the person who recorded it)',
    description: 'Four-eyes: the creator gets 403 `own_payable`. Only drafts: otherwise 409 `payable_not_draft`.',
    permission: 'payables:approve',
    params: PayableParams,
    response: PayableView,
    successStatus: 200,
    requiresIfMatch: true,
    returnsETag: true,
    mutates: true,
  },
  {
    operationId: 'settlePayable',
    method: 'POST',
    path: '/payables/{payableId}/settlement',
    summary: 'Settle an approved payable: credit the dealer account or record the bank payout',
    description:
      '`account_credit` credits the rebate account (rebates) or the prepayment account (refunds, commissions) with a ledger entry in the same transaction; `bank_payout` records the transfer and needs `bankReference`. Once only: a settled payable gets 409 `payable_not_approved`.',
    permission: 'payables:approve',
    params: PayableParams,
    body: SettlePayableSchema,
    response: PayableView,
    successStatus: 200,
    requiresIfMatch: true,
    returnsETag: true,
    mutates: true,
  },
  {
    operationId: 'cancelPayable',
    method: 'POST',
    path: '/payables/{payableId}/cancellation',
    summary: 'Cancel a draft or approved payable with a reason',
    permission: 'payables:manage',
    params: PayableParams,
    body: CancelPayableSchema,
    response: PayableView,
    successStatus: 200,
    requiresIfMatch: true,
    returnsETag: true,
    mutates: true,
  },
] as const satisfies readonly RouteSpec[];
