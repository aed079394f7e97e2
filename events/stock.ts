import * as z from 'zod';

/** Where a level sits, so consumers can route the alert (warehouse team, the dealer, the region). */
const LevelPlace = {
  locationCode: z.string(),
  sku: z.string(),
  region: z.string(),
  /** Set for dealer locations. */
  dealerId: z.string().optional(),
};

/** Available stock fell below the reorder point: published once per crossing, not per movement. */
export const StockBelowReorderPointV1 = z.strictObject({
  ...LevelPlace,
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  reorderPoint: z.number().int(),
});

/** On-hand stock rose above the overstock level: published once per crossing, not per movement. */
export const StockAboveOverstockV1 = z.strictObject({
  ...LevelPlace,
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  overstockLevel: z.number().int(),
});
