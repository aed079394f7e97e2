import * as z from 'zod';
import { LOCATION_KINDS } from '../../../domain/inventory/location';
import { ALERT_KINDS, MOVEMENT_TYPES } from '../../../domain/inventory/stock';

export const LocationView = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(LOCATION_KINDS),
  dealerId: z.string().optional().describe('set for dealer locations'),
  region: z.string(),
  province: z.string().optional(),
  city: z.string().optional(),
  street: z.string().optional(),
  status: z.enum(['active', 'inactive']),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const StockLevelView = z.object({
  locationCode: z.string(),
  sku: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int().describe('onHand − reserved'),
  reorderPoint: z.number().int().optional(),
  overstockLevel: z.number().int().optional(),
  version: z.number().int(),
  updatedAt: z.string(),
});

export const MovementView = z.object({
  id: z.string(),
  locationCode: z.string(),
  sku: z.string(),
  type: z.enum(MOVEMENT_TYPES),
  onHandDelta: z.number().int(),
  reservedDelta: z.number().int(),
  onHandAfter: z.number().int().optional(),
  reason: z.string().optional(),
  reference: z.string().optional(),
  actorId: z.string(),
  at: z.string(),
});

export const TransferView = z.object({
  id: z.string(),
  fromLocationCode: z.string(),
  toLocationCode: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  reference: z.string().optional(),
  note: z.string().optional(),
  actorId: z.string(),
  at: z.string(),
});

export const StockChangeView = z.object({
  level: StockLevelView,
  movement: MovementView,
});

export const TransferResultView = z.object({
  transfer: TransferView,
  from: StockLevelView,
  to: StockLevelView,
  movements: z.array(MovementView),
});

export const AlertView = z.object({
  locationCode: z.string(),
  sku: z.string(),
  kind: z.enum(ALERT_KINDS),
  region: z.string(),
  dealerId: z.string().optional(),
  since: z.string().describe('when the level crossed the threshold'),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  reorderPoint: z.number().int().optional(),
  overstockLevel: z.number().int().optional(),
});
