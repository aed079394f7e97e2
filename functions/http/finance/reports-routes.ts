import * as z from 'zod';
import { PeriodQuerySchema, REPORT_GROUPINGS } from '../../../domain/finance/reports';
import { BusinessDateSchema } from '../../../domain/shared/business-date';
import type { RouteSpec } from '../route';

const Fen = z.number().int().describe('integer minor units (分)');

export const AsOfQuery = z.strictObject({
  asOf: BusinessDateSchema.optional().describe('business date (YYYY-MM-DD); default today (Asia/Shanghai)'),
  dealerId: z.string().min(1).max(64).optional(),
});
export const BalancesQuery = z.strictObject({ dealerId: z.string().min(1).max(64).optional() });

const Amounts = { count: z.number().int(), net: Fen, vat: Fen, gross: Fen };

export const CollectionsView = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(REPORT_GROUPINGS),
  periods: z.array(z.object({ period: z.string(), currency: z.string(), count: z.number().int(), amount: Fen, allocated: Fen, toPrepayment: Fen })),
  totals: z.array(z.object({ currency: z.string(), count: z.number().int(), amount: Fen, allocated: Fen, toPrepayment: Fen })),
  reversed: z.object({ count: z.number().int(), amount: Fen }),
});

export const RevenueView = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(REPORT_GROUPINGS),
  periods: z.array(z.object({ period: z.string(), currency: z.string(), ...Amounts, dealers: z.array(z.object({ dealerId: z.string(), ...Amounts })) })),
  totals: z.array(z.object({ currency: z.string(), ...Amounts })),
  voided: z.object(Amounts).describe('invoices of the period voided since; not in the figures above'),
});

const DsoLine = z.object({ dealerId: z.string(), currency: z.string(), openReceivables: Fen, revenue: Fen, dso: z.number().nullable() });
export const DsoView = z.object({ asOf: z.string(), windowFrom: z.string(), windowDays: z.number().int(), dealers: z.array(DsoLine), totals: z.array(DsoLine) });

const ArLine = { currency: z.string(), count: z.number().int(), open: Fen, overdue: Fen };
export const OpenArView = z.object({ asOf: z.string(), dealers: z.array(z.object({ dealerId: z.string(), ...ArLine })), totals: z.array(z.object(ArLine)) });

const BalanceLine = { currency: z.string(), prepayment: Fen, deposit: Fen, rebate: Fen };
export const BalancesView = z.object({ dealers: z.array(z.object({ dealerId: z.string(), ...BalanceLine })), totals: z.array(z.object(BalanceLine)) });

/** Financial reports (财务报表) over the operational records, by key reads only. */
export const financeReportRoutes = [
  {
    operationId: 'getCollectionsReport',
    method: 'GET',
    path: '/reports/finance/collections',
    summary: 'Collections (回款): recorded payments by value date, per day or month',
    description: 'Reversed payments are shown apart. At most 366 days per request.',
    permission: 'finance_reports:read',
    query: PeriodQuerySchema,
    response: CollectionsView,
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getRevenueReport',
    method: 'GET',
    path: '/reports/finance/revenue',
    summary: 'Revenue by period and dealer: net, VAT and gross of invoices by issue date, voided ones apart',
    description: 'At most 366 days per request.',
    permission: 'finance_reports:read',
    query: PeriodQuerySchema,
    response: RevenueView,
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getDsoReport',
    method: 'GET',
    path: '/reports/finance/dso',
    summary: 'Days sales outstanding per dealer: open receivables ÷ gross revenue of the last 90 days × 90',
    description: 'Open receivables of invoices issued on or before `asOf`, with their open amounts as they stand now; `dso` is null when the 90 days ending on `asOf` have no revenue.',
    permission: 'finance_reports:read',
    query: AsOfQuery,
    response: DsoView,
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getOpenReceivablesReport',
    method: 'GET',
    path: '/reports/finance/open-receivables',
    summary: 'Open accounts receivable per dealer and in total, with the part overdue on `asOf`',
    permission: 'finance_reports:read',
    query: AsOfQuery,
    response: OpenArView,
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getAccountBalancesReport',
    method: 'GET',
    path: '/reports/finance/account-balances',
    summary: 'Prepayment (预收款), deposit and rebate balances per dealer and in total',
    permission: 'finance_reports:read',
    query: BalancesQuery,
    response: BalancesView,
    successStatus: 200,
    mutates: false,
  },
] as const satisfies readonly RouteSpec[];
