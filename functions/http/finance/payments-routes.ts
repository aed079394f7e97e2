import * as z from 'zod';
import { RECEIVABLE_STATUSES } from '../../../domain/credit/credit-profile';
import { MAX_ALLOCATIONS } from '../../../domain/finance/allocation';
import {
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  PostAccountEntrySchema,
  RecordPaymentSchema,
  ReversePaymentSchema,
  SettleReceivableSchema,
} from '../../../domain/finance/payment';
import { ACCOUNT_ENTRY_KINDS, DEALER_ACCOUNTS } from '../../../domain/finance/wallet';
import { BusinessDateSchema } from '../../../domain/shared/business-date';
import { DealerIdSchema, ulidSchema } from '../../../domain/shared/schemas';
import type { RouteSpec } from '../route';
import { CursorPageQuery, page } from '../schemas';

const Amount = z.number().int().describe('分');

export const ReceivableView = z.object({
  id: z.string().describe('the invoice number'),
  invoiceNumber: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  dealerId: z.string(),
  region: z.string(),
  currency: z.string(),
  amount: Amount,
  paid: Amount,
  open: Amount,
  issueDate: z.string(),
  dueDate: z.string(),
  status: z.enum(RECEIVABLE_STATUSES),
  lastPaymentAt: z.string().optional(),
  autoMatchedAt: z.string().optional().describe('when the dealer’s prepayment was applied at issue'),
  overdue: z.boolean().describe('open and past its due date today (Asia/Shanghai)'),
  daysPastDue: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

const AllocationView = z.object({ invoiceNumber: z.string(), amount: Amount });

export const PaymentView = z.object({
  id: z.string(),
  dealerId: z.string(),
  region: z.string(),
  currency: z.string(),
  amount: Amount,
  valueDate: z.string(),
  method: z.enum(PAYMENT_METHODS),
  bankReference: z.string(),
  note: z.string().optional(),
  requestedAllocations: z.array(AllocationView).optional(),
  allocations: z.array(AllocationView),
  allocated: Amount,
  toPrepayment: Amount.describe('credited to the prepayment account'),
  status: z.enum(PAYMENT_STATUSES),
  reversal: z.object({ reason: z.string(), at: z.string(), by: z.string() }).optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

const Balances = z.object({ prepayment: Amount, deposit: Amount, rebate: Amount });
export const DealerAccountView = z.object({ dealerId: z.string(), currency: z.string(), balances: Balances });

export const AccountEntryView = z.object({
  dealerId: z.string(),
  id: z.string(),
  account: z.enum(DEALER_ACCOUNTS),
  currency: z.string(),
  amount: Amount.describe('signed: + credit, − debit'),
  balanceAfter: Amount,
  kind: z.enum(ACCOUNT_ENTRY_KINDS),
  reference: z.string(),
  reason: z.string().optional(),
  paymentId: z.string().optional(),
  invoiceNumber: z.string().optional(),
  at: z.string(),
  actorId: z.string(),
});

const AgingAmounts = z.object({
  current: Amount.describe('not yet due'),
  d1_30: Amount.describe('1–30 days past due'),
  d31_60: Amount.describe('31–60 days past due'),
  d61_90: Amount.describe('61–90 days past due'),
  d90_plus: Amount.describe('91 days and more past due'),
  total: Amount,
  count: z.number().int().describe('open receivables counted'),
});
export const AgingView = z.object({
  asOf: z.string(),
  currency: z.string(),
  dealers: z.array(AgingAmounts.extend({ dealerId: z.string() })),
  total: AgingAmounts,
});

/** Any id-shaped string: an unknown one (not an invoice number at all) is a 404 like any other. */
const ReceivableParams = z.strictObject({ receivableId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a receivable id (its invoice number)') });
const PaymentParams = z.strictObject({ paymentId: ulidSchema('payment') });
const DealerParams = z.strictObject({ dealerId: DealerIdSchema });

/** Receivables and aging, payments with allocation and reversal, dealer accounts (issue 5 §1–3). */
export const paymentRoutes = [
  {
    operationId: 'listReceivables',
    method: 'GET',
    path: '/receivables',
    summary: 'List receivables (filter by dealer, status, due-date range)',
    description:
      'With `dealerId` and no `status`: the dealer’s receivables, newest invoice first. Otherwise by due date, oldest first; without `dealerId` and `status` the open (open and partially paid) receivables of all visible dealers. Dealers see their own, region-scoped staff their regions.',
    permission: 'receivables:read',
    query: CursorPageQuery.extend({
      dealerId: DealerIdSchema.optional(),
      status: z.enum(RECEIVABLE_STATUSES).optional(),
      dueFrom: BusinessDateSchema.optional(),
      dueTo: BusinessDateSchema.optional(),
    }),
    response: page(ReceivableView),
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getReceivableAging',
    method: 'GET',
    path: '/receivables/aging',
    summary: 'Aging of open receivables as of a date: current, 1–30, 31–60, 61–90, 90+ days past due, per dealer and in total',
    description:
      'Days past due = asOf − due date. `current`: not yet due (due on asOf counts as current); `d1_30`: 1–30; `d31_60`: 31–60; `d61_90`: 61–90; `d90_plus`: 91 and more. Amounts are the open amounts in 分 of receivables issued on or before asOf that are open now.',
    permission: 'receivables:read',
    query: z.strictObject({ asOf: BusinessDateSchema.optional(), dealerId: DealerIdSchema.optional() }),
    response: AgingView,
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getReceivable',
    method: 'GET',
    path: '/receivables/{receivableId}',
    summary: 'Read a receivable (id = invoice number)',
    permission: 'receivables:read',
    params: ReceivableParams,
    response: ReceivableView,
    successStatus: 200,
    returnsETag: true,
    mutates: false,
  },
  {
    operationId: 'settleReceivable',
    method: 'POST',
    path: '/receivables/{receivableId}/settlements',
    summary: 'Pay (part of) a receivable from the dealer’s prepayment, rebate or deposit account',
    description: 'Debits the account (409 insufficient_balance below zero), applies the amount to the receivable (≤ its open amount) and moves the credit exposure, in one transaction.',
    permission: 'payments:record',
    params: ReceivableParams,
    body: SettleReceivableSchema,
    response: ReceivableView,
    successStatus: 201,
    idempotent: true,
    returnsETag: true,
    mutates: true,
  },
  {
    operationId: 'recordPayment',
    method: 'POST',
    path: '/payments',
    summary: 'Record an incoming payment and allocate it to invoices (oldest due first, or explicitly); the rest goes to prepayment',
    description:
      `Idempotent on the Idempotency-Key and on the bank reference: the same bank reference again returns the existing payment when the request matches it, else 409 bank_reference_taken. At most ${MAX_ALLOCATIONS} invoices per payment. ` +
      'Payment, bank reference, receivables, prepayment credit with its ledger entry, exposure and audit are one transaction.',
    permission: 'payments:record',
    body: RecordPaymentSchema,
    response: PaymentView,
    successStatus: 201,
    idempotent: true,
    returnsETag: true,
    mutates: true,
  },
  {
    operationId: 'listPayments',
    method: 'GET',
    path: '/payments',
    summary: 'List payments by value date, newest first (filter by dealer and value-date range; default: the last year)',
    permission: 'payments:read',
    query: CursorPageQuery.extend({ dealerId: DealerIdSchema.optional(), from: BusinessDateSchema.optional(), to: BusinessDateSchema.optional() }),
    response: page(PaymentView),
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getPayment',
    method: 'GET',
    path: '/payments/{paymentId}',
    summary: 'Read a payment with its allocations',
    permission: 'payments:read',
    params: PaymentParams,
    response: PaymentView,
    successStatus: 200,
    returnsETag: true,
    mutates: false,
  },
  {
    operationId: 'reversePayment',
    method: 'POST',
    path: '/payments/{paymentId}/reversal',
    summary: 'Reverse a payment: receivables reopen, its prepayment credit is taken back, the exposure returns',
    description: '409 insufficient_balance when the prepayment credited by the payment has been spent meanwhile; 409 payment_reversed when reversed already.',
    permission: 'payments:reverse',
    params: PaymentParams,
    body: ReversePaymentSchema,
    response: PaymentView,
    successStatus: 200,
    idempotent: true,
    returnsETag: true,
    mutates: true,
  },
  {
    operationId: 'getDealerAccount',
    method: 'GET',
    path: '/dealers/{dealerId}/account',
    summary: 'A dealer’s account balances: prepayment, deposit, rebate',
    permission: 'accounts:read',
    params: DealerParams,
    response: DealerAccountView,
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'listDealerAccountEntries',
    method: 'GET',
    path: '/dealers/{dealerId}/account/entries',
    summary: 'A dealer’s account ledger, newest first (optionally one account)',
    permission: 'accounts:read',
    params: DealerParams,
    query: CursorPageQuery.extend({ account: z.enum(DEALER_ACCOUNTS).optional() }),
    response: page(AccountEntryView),
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'postDealerAccountEntry',
    method: 'POST',
    path: '/dealers/{dealerId}/account/entries',
    summary: 'Post a deposit or rebate entry (signed amount) to a dealer’s account',
    description: 'A debit never takes the balance below zero (409 insufficient_balance). The prepayment account moves only through payments, settlements and auto-matching.',
    permission: 'accounts:manage',
    params: DealerParams,
    body: PostAccountEntrySchema,
    response: z.object({ account: DealerAccountView, entry: AccountEntryView }),
    successStatus: 201,
    idempotent: true,
    mutates: true,
  },
] as const satisfies readonly RouteSpec[];
