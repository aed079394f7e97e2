import * as z from 'zod';
import { BusinessDateSchema } from '../shared/business-date';
import { CurrencySchema, DEFAULT_CURRENCY } from '../shared/money';
import { DealerIdSchema, trimmedText } from '../shared/schemas';
import { MAX_ALLOCATIONS, type Allocation } from './allocation';
import { DEALER_ACCOUNTS } from './wallet';

/** Incoming payments (收款) and what they paid. Amounts are integer 分. */
export const PAYMENT_METHODS = ['bank_transfer', 'bank_acceptance', 'cash', 'online'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_STATUSES = ['recorded', 'reversed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** ¥100,000,000.00 in 分: one payment never exceeds it. */
export const MAX_PAYMENT_AMOUNT = 10_000_000_000;

export const InvoiceNumberSchema = z.string().regex(/^INV-\d{4}-\d{6,}$/, 'an invoice number such as INV-2026-000001');
const PositiveAmount = z.number().int().min(1).max(MAX_PAYMENT_AMOUNT).describe('integer minor units (分), > 0');

export const AllocationSchema = z.strictObject({ invoiceNumber: InvoiceNumberSchema, amount: PositiveAmount });

export const RecordPaymentSchema = z.strictObject({
  dealerId: DealerIdSchema,
  amount: PositiveAmount,
  currency: CurrencySchema.default(DEFAULT_CURRENCY),
  valueDate: BusinessDateSchema.describe('the date the money arrived (起息日), YYYY-MM-DD'),
  method: z.enum(PAYMENT_METHODS),
  bankReference: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\p{L}\p{N}._\/ -]+$/u, 'letters, digits, space and . _ / -')
    .describe('bank statement reference (银行流水号), unique across payments'),
  allocations: z.array(AllocationSchema).min(1).max(MAX_ALLOCATIONS).optional().describe('explicit allocations; absent: oldest due first'),
  note: trimmedText(500).optional(),
});
export type RecordPaymentInput = z.output<typeof RecordPaymentSchema>;

export const ReversePaymentSchema = z.strictObject({ reason: trimmedText(500) });

export const SettleReceivableSchema = z.strictObject({
  account: z.enum(DEALER_ACCOUNTS),
  amount: PositiveAmount,
});
export type SettleReceivableInput = z.output<typeof SettleReceivableSchema>;

export const PostAccountEntrySchema = z.strictObject({
  account: z.enum(['deposit', 'rebate'] as const).describe('prepayment moves only through payments, settlements and auto-matching'),
  amount: z
    .number()
    .int()
    .min(-MAX_PAYMENT_AMOUNT)
    .max(MAX_PAYMENT_AMOUNT)
    .refine((a) => a !== 0, 'not zero')
    .describe('signed 分: positive credits (deposit received, rebate granted), negative debits'),
  reason: trimmedText(500),
  reference: trimmedText(64),
});
export type PostAccountEntryInput = z.output<typeof PostAccountEntrySchema>;

export interface PaymentReversal {
  reason: string;
  at: string;
  by: string;
}

export interface Payment {
  id: string;
  dealerId: string;
  /** The dealer's region when recorded (object-level access). */
  region: string;
  currency: string;
  amount: number;
  valueDate: string;
  method: PaymentMethod;
  bankReference: string;
  note?: string;
  /** The explicit allocations as requested; absent when allocated oldest due first. */
  requestedAllocations?: Allocation[];
  allocations: Allocation[];
  allocated: number;
  /** amount − allocated, credited to the prepayment account. */
  toPrepayment: number;
  status: PaymentStatus;
  reversal?: PaymentReversal;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

/**
 * Whether a request with a bank reference already booked asks for the same payment (a replay:
 * answer with the existing one) or a different one (409). Compared: dealer, amount, currency,
 * value date, method, note and the explicit allocations as requested.
 */
export function sameRequest(payment: Payment, input: RecordPaymentInput): boolean {
  const requested = JSON.stringify(payment.requestedAllocations ?? null);
  return (
    payment.dealerId === input.dealerId &&
    payment.amount === input.amount &&
    payment.currency === input.currency &&
    payment.valueDate === input.valueDate &&
    payment.method === input.method &&
    (payment.note ?? null) === (input.note ?? null) &&
    requested === JSON.stringify(input.allocations?.map((a) => ({ invoiceNumber: a.invoiceNumber, amount: a.amount })) ?? null)
  );
}
