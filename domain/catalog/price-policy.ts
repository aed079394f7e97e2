import * as z from 'zod';
import { CHANNEL_TYPES, DEALER_TIERS, type ChannelType, type DealerTier } from '../dealers/dealer';
import { BusinessDateSchema } from '../shared/business-date';
import { AmountSchema, CurrencySchema, DEFAULT_CURRENCY, MAX_QUANTITY } from '../shared/money';
import { CATEGORY_CODES, SkuSchema } from './product';
import { trimmedText } from '../shared/schemas';
import { DealerIdSchema } from '../shared/schemas';

/**
 * Price policies on top of a product's base list price:
 * - price lists for a dealer tier or a channel type, with per-SKU unit prices (optionally
 *   quantity breaks), valid for a date window;
 * - special prices agreed with one dealer for one SKU;
 * - promotions (percentage or fixed amount off, by SKU or category, optionally for some tiers
 *   or channels only, optionally from a minimum quantity).
 * Validity windows are business dates, inclusive at both ends; no `validTo` means open-ended.
 * How they combine is decided by `resolvePrice` (resolve-price.ts).
 */

/** Lines per price list: the list is one item (with its audit record, one transaction). */
export const MAX_PRICE_LIST_LINES = 1500;

const validToAfterFrom = (v: { validFrom?: string; validTo?: string | null }) => !v.validFrom || !v.validTo || v.validTo >= v.validFrom;
const VALIDITY_MESSAGE = { message: 'validTo must not be before validFrom', path: ['validTo'] };

export const PriceListLineSchema = z.strictObject({
  sku: SkuSchema,
  amount: AmountSchema.describe('unit price in minor units (分)'),
  minQuantity: z.number().int().min(1).max(MAX_QUANTITY).default(1).describe('quantity break: applies from this quantity'),
});
export type PriceListLine = z.output<typeof PriceListLineSchema>;

const linesField = z
  .array(PriceListLineSchema)
  .max(MAX_PRICE_LIST_LINES)
  .refine((lines) => new Set(lines.map((l) => `${l.sku}@${l.minQuantity}`)).size === lines.length, 'each (sku, minQuantity) at most once');

export const NewPriceListSchema = z
  .strictObject({
    name: trimmedText(100),
    tier: z.enum(DEALER_TIERS).optional().describe('a tier price list: for dealers of this tier'),
    channelType: z.enum(CHANNEL_TYPES).optional().describe('a channel price list: for dealers of this channel type'),
    currency: CurrencySchema.default(DEFAULT_CURRENCY),
    validFrom: BusinessDateSchema,
    validTo: BusinessDateSchema.optional(),
    allowAboveListPrice: z.boolean().default(false).describe('prices above the base list price stand; otherwise they are capped at it'),
    lines: linesField.default([]),
  })
  .refine((p) => (p.tier === undefined) !== (p.channelType === undefined), { message: 'exactly one of tier or channelType', path: ['tier'] })
  .refine(validToAfterFrom, VALIDITY_MESSAGE);
export type NewPriceList = z.output<typeof NewPriceListSchema>;

export const PriceListChangesSchema = z
  .strictObject({
    name: trimmedText(100),
    validFrom: BusinessDateSchema,
    validTo: BusinessDateSchema.nullable(),
    allowAboveListPrice: z.boolean(),
    lines: linesField.describe('replaces all lines'),
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field to change')
  .refine(validToAfterFrom, VALIDITY_MESSAGE);
export type PriceListChanges = z.output<typeof PriceListChangesSchema>;

export interface PriceList {
  id: string;
  name: string;
  tier?: DealerTier;
  channelType?: ChannelType;
  currency: string;
  validFrom: string;
  validTo?: string;
  allowAboveListPrice: boolean;
  lines: PriceListLine[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

export const NewSpecialPriceSchema = z
  .strictObject({
    dealerId: DealerIdSchema,
    sku: SkuSchema,
    amount: AmountSchema.describe('agreed unit price in minor units (分)'),
    currency: CurrencySchema.default(DEFAULT_CURRENCY),
    validFrom: BusinessDateSchema,
    validTo: BusinessDateSchema.optional(),
    allowAboveListPrice: z.boolean().default(false),
    note: trimmedText(500).optional().describe('e.g. the contract or approval it comes from'),
  })
  .refine(validToAfterFrom, VALIDITY_MESSAGE);
export type NewSpecialPrice = z.output<typeof NewSpecialPriceSchema>;

export const SpecialPriceChangesSchema = z
  .strictObject({
    amount: AmountSchema,
    validFrom: BusinessDateSchema,
    validTo: BusinessDateSchema.nullable(),
    allowAboveListPrice: z.boolean(),
    note: trimmedText(500).nullable(),
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field to change')
  .refine(validToAfterFrom, VALIDITY_MESSAGE);
export type SpecialPriceChanges = z.output<typeof SpecialPriceChangesSchema>;

export interface SpecialPrice {
  id: string;
  dealerId: string;
  sku: string;
  amount: number;
  currency: string;
  validFrom: string;
  validTo?: string;
  allowAboveListPrice: boolean;
  note?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

export const DiscountSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent'), basisPoints: z.number().int().min(1).max(10_000).describe('1000 = 10 % off') }),
  z.strictObject({ kind: z.literal('amount'), amount: AmountSchema.min(1).describe('off each unit, minor units'), currency: CurrencySchema.default(DEFAULT_CURRENCY) }),
]);
export type Discount = z.output<typeof DiscountSchema>;

const promotionScope = <T extends { skus?: string[]; categories?: string[] }>(p: T) => (p.skus?.length ?? 0) + (p.categories?.length ?? 0) > 0;

export const NewPromotionSchema = z
  .strictObject({
    name: trimmedText(100),
    discount: DiscountSchema,
    skus: z.array(SkuSchema).max(500).default([]).describe('applies to these SKUs …'),
    categories: z.array(z.enum(CATEGORY_CODES)).max(20).default([]).describe('… and to every product of these categories'),
    tiers: z.array(z.enum(DEALER_TIERS)).max(DEALER_TIERS.length).default([]).describe('only for these tiers (empty: all)'),
    channelTypes: z.array(z.enum(CHANNEL_TYPES)).max(CHANNEL_TYPES.length).default([]).describe('only for these channel types (empty: all)'),
    minQuantity: z.number().int().min(1).max(MAX_QUANTITY).optional(),
    validFrom: BusinessDateSchema,
    validTo: BusinessDateSchema.describe('promotions always end'),
  })
  .refine(promotionScope, { message: 'name at least one SKU or category', path: ['skus'] })
  .refine(validToAfterFrom, VALIDITY_MESSAGE);
export type NewPromotion = z.output<typeof NewPromotionSchema>;

export const PromotionChangesSchema = z
  .strictObject({
    name: trimmedText(100),
    discount: DiscountSchema,
    skus: z.array(SkuSchema).max(500),
    categories: z.array(z.enum(CATEGORY_CODES)).max(20),
    tiers: z.array(z.enum(DEALER_TIERS)).max(DEALER_TIERS.length),
    channelTypes: z.array(z.enum(CHANNEL_TYPES)).max(CHANNEL_TYPES.length),
    minQuantity: z.number().int().min(1).max(MAX_QUANTITY).nullable(),
    validFrom: BusinessDateSchema,
    validTo: BusinessDateSchema,
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field to change')
  .refine(validToAfterFrom, VALIDITY_MESSAGE);
export type PromotionChanges = z.output<typeof PromotionChangesSchema>;

export interface Promotion {
  id: string;
  name: string;
  discount: Discount;
  skus: string[];
  categories: string[];
  tiers: DealerTier[];
  channelTypes: ChannelType[];
  minQuantity?: number;
  validFrom: string;
  validTo: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

export function hasPromotionScope(p: Pick<Promotion, 'skus' | 'categories'>): boolean {
  return promotionScope(p);
}
