import * as z from 'zod';
import { SkuSchema } from '../catalog/product';
import { RegionCodeSchema } from '../dealers/dealer';
import { LOCATION_KINDS } from './location';
import { ALERT_KINDS } from './stock';
import { DealerIdSchema, trimmedText } from '../shared/schemas';


/** Location codes are stored upper case; lower case input is accepted and normalised. */
export const LocationCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,39}$/, '2–40 characters: letters, digits, dashes and underscores, e.g. WH-SH-01');

/** The catalog's SKU format (upper case); stock moves only for SKUs the catalog knows (StockService). */
export { SkuSchema };

/** A positive quantity in the product's unit of measure. */
export const QuantitySchema = z.number().int().min(1).max(1_000_000_000);


export const NewLocationSchema = z.strictObject({
  code: LocationCodeSchema,
  name: trimmedText(100),
  kind: z.enum(LOCATION_KINDS),
  /** Dealer locations: the owning dealer (dealer administrators may omit it: their own). */
  dealerId: DealerIdSchema.optional(),
  /** Warehouses: required. Dealer locations take their dealer's region. */
  region: RegionCodeSchema.optional(),
  province: trimmedText(30).optional(),
  city: trimmedText(30).optional(),
  street: trimmedText(200).optional(),
});
export type NewLocation = z.output<typeof NewLocationSchema>;

export const LocationChangesSchema = z
  .strictObject({
    name: trimmedText(100).optional(),
    /** Warehouses only: a dealer location's region follows its dealer. */
    region: RegionCodeSchema.optional(),
    province: trimmedText(30).nullable().optional(),
    city: trimmedText(30).nullable().optional(),
    street: trimmedText(200).nullable().optional(),
    status: z.enum(['active', 'inactive']).optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, 'name at least one field to change');
export type LocationChanges = z.output<typeof LocationChangesSchema>;

const optionalText = (max: number) => trimmedText(max).optional();

export const ReceiptSchema = z.strictObject({
  locationCode: LocationCodeSchema,
  sku: SkuSchema,
  quantity: QuantitySchema,
  /** The supplier's delivery note or purchase order number. */
  reference: optionalText(60),
  note: optionalText(500),
});
export type Receipt = z.output<typeof ReceiptSchema>;

export const AdjustmentSchema = z.strictObject({
  locationCode: LocationCodeSchema,
  sku: SkuSchema,
  /** Signed: positive adds stock (found), negative removes it (damaged, lost). */
  quantity: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .refine((q) => q !== 0, 'an adjustment changes the quantity'),
  reason: trimmedText(200),
  reference: optionalText(60),
});
export type Adjustment = z.output<typeof AdjustmentSchema>;

export const TransferSchema = z
  .strictObject({
    fromLocationCode: LocationCodeSchema,
    toLocationCode: LocationCodeSchema,
    sku: SkuSchema,
    quantity: QuantitySchema,
    reference: optionalText(60),
    note: optionalText(500),
  })
  .refine((t) => t.fromLocationCode !== t.toLocationCode, { message: 'a transfer moves stock between two different locations', path: ['toLocationCode'] });
export type Transfer = z.output<typeof TransferSchema>;

const threshold = z.number().int().min(0).max(1_000_000_000).nullable().optional();

export const ThresholdChangesSchema = z
  .strictObject({ reorderPoint: threshold, overstockLevel: threshold })
  .refine((t) => t.reorderPoint !== undefined || t.overstockLevel !== undefined, 'name reorderPoint, overstockLevel or both (null clears one)');
export type ThresholdChanges = z.output<typeof ThresholdChangesSchema>;

export const AlertKindSchema = z.enum(ALERT_KINDS);
