import * as z from 'zod';
import { ConflictError } from '../shared/errors';
import { DEFAULT_CURRENCY } from '../shared/money';
import { trimmedText } from '../shared/schemas';

/**
 * A dealer's credit profile (信用档案): the terms finance sets (limit, payment terms, prepayment,
 * hold) and the running exposure counters the order and invoice transactions move. Amounts are
 * integer 分 in the profile's currency.
 *
 * The counters are never written through the API: they change only by atomic ADDs inside the
 * transactions that cause them (an order submitted or closed, a shipment, an invoice, a payment),
 * so they always agree with the documents. `version` counts changes of the terms only; a counter
 * move does not change it, so finance's If-Match is not invalidated by every order, and a terms
 * update never overwrites a counter (it does not write them at all).
 */
export interface CreditProfile {
  dealerId: string;
  /** The dealer's current region (not stored on the profile: it follows the dealer). */
  region: string;
  currency: string;
  creditLimit: number;
  /** Days from invoice date to due date (月结30天 = 30); 0 = due on the invoice date. */
  paymentTermsDays: number;
  /** What the dealer has paid in advance (issue 5 turns it into a wallet ledger). */
  prepaymentBalance: number;
  creditHold: boolean;
  /** Present exactly while `creditHold` is true. */
  creditHoldReason?: string;
  /** Gross of submitted orders not yet shipped. */
  openOrders: number;
  /** Shipped but not yet invoiced. */
  unbilledShipments: number;
  /** Invoiced and not yet paid. */
  openReceivables: number;
  /** When the terms last changed; for a dealer whose terms were never set, when it was registered. */
  updatedAt: string;
  /** 1 for the default terms (stored or not); each terms update adds one. */
  version: number;
}

/** The counters, as moved by `exposureChange` (each optional; negative moves them down). */
export type ExposureCounter = 'openOrders' | 'unbilledShipments' | 'openReceivables';
export type ExposureDeltas = Partial<Record<ExposureCounter, number>>;
export const EXPOSURE_COUNTERS: readonly ExposureCounter[] = ['openOrders', 'unbilledShipments', 'openReceivables'];

/** The terms a dealer has until finance sets its own: no credit, 30 days, nothing prepaid. */
export const DEFAULT_CREDIT_TERMS = {
  currency: DEFAULT_CURRENCY,
  creditLimit: 0,
  paymentTermsDays: 30,
  prepaymentBalance: 0,
  creditHold: false,
} as const;

/** The version a profile has before its terms are first changed (see `defaultCreditProfile`). */
export const DEFAULT_PROFILE_VERSION = 1;

/**
 * The profile of a dealer with nothing stored. Its version is 1, not 0: an If-Match tag that is
 * not one of ours parses to 0 (functions/shared/request-parsing.ts), and it must never match.
 */
export function defaultCreditProfile(dealer: { id: string; region: string; createdAt: string }): CreditProfile {
  return {
    dealerId: dealer.id,
    region: dealer.region,
    ...DEFAULT_CREDIT_TERMS,
    openOrders: 0,
    unbilledShipments: 0,
    openReceivables: 0,
    updatedAt: dealer.createdAt,
    version: DEFAULT_PROFILE_VERSION,
  };
}

/** ¥100,000,000.00 in 分: far above any dealer's limit, far below 2^53 when summed. */
export const MAX_CREDIT_AMOUNT = 10_000_000_000;

export const CreditAmountSchema = z.number().int().min(0).max(MAX_CREDIT_AMOUNT).describe('integer minor units (分)');

/** Fields of the profile PUT no longer sets, and where they are changed instead. */
export const TERMS_SET_ELSEWHERE = {
  creditLimit: 'the credit limit changes only through an approved limit request: POST /dealers/{dealerId}/credit/limit-requests',
  prepaymentBalance: 'the prepayment balance moves only through the dealer account (wallet) ledger: payments and prepayment entries',
} as const;

/**
 * PUT /dealers/{dealerId}/credit: any non-empty subset of the terms finance sets directly —
 * payment terms and the credit hold. `creditHoldReason: null` clears the reason; lifting the hold
 * (`creditHold: false`) clears it as well. The counters are not in here (never writable through
 * the API); `creditLimit` and `prepaymentBalance` are refused with a 400 naming the field and
 * where it is changed instead (TERMS_SET_ELSEWHERE).
 */
export const CreditProfileChangesSchema = z
  .strictObject({
    paymentTermsDays: z.number().int().min(0).max(365).optional().describe('days from invoice to due date (月结30天 = 30)'),
    creditHold: z.boolean().optional(),
    creditHoldReason: trimmedText(200).nullable().optional().describe('required while the dealer is on credit hold'),
    creditLimit: z.unknown().optional().describe(`not settable here: ${TERMS_SET_ELSEWHERE.creditLimit}`),
    prepaymentBalance: z.unknown().optional().describe(`not settable here: ${TERMS_SET_ELSEWHERE.prepaymentBalance}`),
  })
  .superRefine((changes, ctx) => {
    for (const field of Object.keys(TERMS_SET_ELSEWHERE) as (keyof typeof TERMS_SET_ELSEWHERE)[]) {
      if (changes[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `not settable here: ${TERMS_SET_ELSEWHERE[field]}` });
    }
  })
  .transform(({ creditLimit: _limit, prepaymentBalance: _prepayment, ...terms }) => terms)
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field to change');
export type CreditProfileChanges = z.output<typeof CreditProfileChangesSchema>;

/** The exposure counters net of prepayment, as the credit check sees them (DESIGN §6). */
export function creditExposure(profile: Pick<CreditProfile, ExposureCounter | 'prepaymentBalance'>): number {
  return profile.openOrders + profile.unbilledShipments + profile.openReceivables - profile.prepaymentBalance;
}

/** Limit − exposure: what the dealer can still order on credit (negative when over the limit). */
export function availableCredit(profile: Pick<CreditProfile, ExposureCounter | 'prepaymentBalance' | 'creditLimit'>): number {
  return profile.creditLimit - creditExposure(profile);
}

export interface CreditFigures extends CreditProfile {
  exposure: number;
  available: number;
}

/** The profile with its derived figures: what the API shows and the audit trail records. */
export function withFigures(profile: CreditProfile): CreditFigures {
  return { ...profile, exposure: creditExposure(profile), available: availableCredit(profile) };
}

// ── receivables (应收账款) ─────────────────────────────────────────────────────

export const RECEIVABLE_STATUSES = ['open', 'partially_paid', 'paid', 'void'] as const;
export type ReceivableStatus = (typeof RECEIVABLE_STATUSES)[number];

/** Statuses in which a receivable still counts as debt (and can become overdue). */
export const OPEN_RECEIVABLE_STATUSES: readonly ReceivableStatus[] = ['open', 'partially_paid'];

/** One per invoice: what the dealer owes for it and when (issue 5 books payments against it). */
export interface Receivable {
  /** The invoice number (INV-2026-000001): one receivable per invoice. */
  id: string;
  invoiceNumber: string;
  orderId: string;
  orderNumber: string;
  dealerId: string;
  /** The dealer's region when invoiced. */
  region: string;
  currency: string;
  amount: number;
  paid: number;
  /** amount − paid, 0 once void. */
  open: number;
  /** Business dates (YYYY-MM-DD, Asia/Shanghai). */
  issueDate: string;
  dueDate: string;
  status: ReceivableStatus;
  /** Last time a payment, settlement or reversal moved `paid` (issue 5). */
  lastPaymentAt?: string;
  /** When the dealer's prepayment was applied to it at issue (auto-match runs once per invoice). */
  autoMatchedAt?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function isOpenReceivable(receivable: Pick<Receivable, 'status'>): boolean {
  return OPEN_RECEIVABLE_STATUSES.includes(receivable.status);
}

/** A dealer's debt past its due date: dueDate < today and still open (or partially paid). */
export interface OverdueSummary {
  /** Σ open of the overdue receivables. */
  amount: number;
  oldestDueDate?: string;
  /** Days from the oldest overdue due date to today; 0 when nothing is overdue. */
  overdueDays: number;
}

export const NOTHING_OVERDUE: OverdueSummary = { amount: 0, overdueDays: 0 };

/**
 * The receivable voided (invoice cancelled): status void, nothing open. A receivable with
 * payments booked cannot be voided (the money has to be refunded or reapplied first), nor can
 * one that is void already.
 */
export function voidReceivable(receivable: Receivable, at: string): Receivable {
  if (receivable.status === 'void') throw new ConflictError('receivable_void', `Receivable ${receivable.id} is already void.`);
  if (receivable.paid > 0) {
    throw new ConflictError('receivable_has_payments', `Receivable ${receivable.id} has payments booked against it and cannot be voided.`);
  }
  return { ...receivable, status: 'void', open: 0, updatedAt: at, version: receivable.version + 1 };
}
