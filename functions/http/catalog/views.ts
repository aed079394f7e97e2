import * as z from 'zod';
import { CHANNEL_TYPES, DEALER_TIERS } from '../../../domain/dealers/dealer';
import { PRODUCT_STATUSES } from '../../../domain/catalog/product';
import { PRECEDENCE } from '../../../domain/catalog/resolve-price';

const Money = z.object({ amount: z.number().int(), currency: z.string() });
const Stamps = { createdAt: z.string(), createdBy: z.string(), updatedAt: z.string(), version: z.number().int() };

export const CategoryView = z.object({ code: z.string(), name: z.string(), nameEn: z.string() });

export const ProductView = z.object({
  sku: z.string(),
  name: z.string(),
  nameEn: z.string(),
  category: z.string(),
  unit: z.string(),
  barcode: z.string().optional(),
  vatRate: z.number().int().describe('basis points: 1300 = 13 %'),
  status: z.enum(PRODUCT_STATUSES),
  orderMultiple: z.number().int().optional(),
  minOrderQuantity: z.number().int().optional(),
  listPrice: Money,
  ...Stamps,
});

const PriceListHeader = {
  id: z.string(),
  name: z.string(),
  tier: z.enum(DEALER_TIERS).optional(),
  channelType: z.enum(CHANNEL_TYPES).optional(),
  currency: z.string(),
  validFrom: z.string(),
  validTo: z.string().optional(),
  allowAboveListPrice: z.boolean(),
  ...Stamps,
};

export const PriceListView = z.object({
  ...PriceListHeader,
  lines: z.array(z.object({ sku: z.string(), amount: z.number().int(), minQuantity: z.number().int() })),
});

/** Lists of price lists leave the lines out (a list can hold 1,500); read one list for them. */
export const PriceListSummaryView = z.object({ ...PriceListHeader, lineCount: z.number().int() });

export const SpecialPriceView = z.object({
  id: z.string(),
  dealerId: z.string(),
  sku: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  validFrom: z.string(),
  validTo: z.string().optional(),
  allowAboveListPrice: z.boolean(),
  note: z.string().optional(),
  ...Stamps,
});

export const PromotionView = z.object({
  id: z.string(),
  name: z.string(),
  discount: z.union([
    z.object({ kind: z.literal('percent'), basisPoints: z.number().int() }),
    z.object({ kind: z.literal('amount'), amount: z.number().int(), currency: z.string() }),
  ]),
  skus: z.array(z.string()),
  categories: z.array(z.string()),
  tiers: z.array(z.enum(DEALER_TIERS)),
  channelTypes: z.array(z.enum(CHANNEL_TYPES)),
  minQuantity: z.number().int().optional(),
  validFrom: z.string(),
  validTo: z.string(),
  ...Stamps,
});

const RuleKind = z.enum([...PRECEDENCE, 'promotion']);

export const QuoteView = z.object({
  dealerId: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  date: z.string(),
  currency: z.string(),
  listPrice: z.number().int().describe('base list price per unit, minor units'),
  basePrice: z.number().int().describe('after precedence (and the list-price cap), before the promotion'),
  unitPrice: z.number().int(),
  discountPerUnit: z.number().int().describe('list price − unit price'),
  vatRate: z.number().int().describe('basis points'),
  lineNet: z.number().int(),
  lineDiscount: z.number().int(),
  vatAmount: z.number().int().describe('half-up per line'),
  lineGross: z.number().int(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  explanation: z.object({
    precedence: z.array(z.enum(PRECEDENCE)),
    winner: z.object({ kind: z.enum(PRECEDENCE), id: z.string(), name: z.string(), unitPrice: z.number().int() }),
    cappedAtListPrice: z.boolean(),
    promotion: z.object({ id: z.string(), name: z.string(), discountPerUnit: z.number().int() }).optional(),
    considered: z.array(
      z.object({
        kind: RuleKind,
        id: z.string(),
        name: z.string(),
        outcome: z.enum(['won', 'superseded', 'outranked', 'not_applicable', 'applied', 'smaller_discount']),
        reason: z.string().optional(),
        unitPrice: z.number().int().optional(),
        discountPerUnit: z.number().int().optional(),
        detail: z.string(),
      }),
    ),
    summary: z.string(),
  }),
});
