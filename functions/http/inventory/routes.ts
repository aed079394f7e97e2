import * as z from 'zod';
import { RegionCodeSchema } from '../../../domain/dealers/dealer';
import { LOCATION_KINDS } from '../../../domain/inventory/location';
import {
  AdjustmentSchema,
  AlertKindSchema,
  LocationChangesSchema,
  LocationCodeSchema,
  NewLocationSchema,
  ReceiptSchema,
  SkuSchema,
  ThresholdChangesSchema,
  TransferSchema,
} from '../../../domain/inventory/schemas';
import { defineContext } from '../route';
import { CursorPageQuery, page } from '../schemas';
import { AlertView, LocationView, MovementView, StockChangeView, StockLevelView, TransferResultView, TransferView } from './views';
import { DealerIdSchema } from '../../../domain/shared/schemas';

const LocationParams = z.strictObject({ locationCode: LocationCodeSchema });
const LevelParams = z.strictObject({ locationCode: LocationCodeSchema, sku: SkuSchema });
const TransferParams = z.strictObject({ transferId: z.string().regex(/^[0-9A-Za-z_-]{1,40}$/, 'a transfer id') });

export const LocationListQuery = CursorPageQuery.extend({
  kind: z.enum(LOCATION_KINDS).optional(),
  dealerId: DealerIdSchema.optional(),
  region: RegionCodeSchema.optional(),
  /** `true`: only active locations, `false`: only inactive ones. */
  active: z.enum(['true', 'false']).optional(),
});

export const StockListQuery = CursorPageQuery.extend({
  sku: SkuSchema.optional(),
  locationCode: LocationCodeSchema.optional(),
}).refine((q) => (q.sku === undefined) !== (q.locationCode === undefined), {
  message: 'give exactly one of sku (that SKU across locations) or locationCode (everything at a location)',
  path: ['sku'],
});

/** An instant, or a business date (a whole UTC day). */
const Instant = z.union([z.iso.datetime({ offset: false }), z.iso.date()]);

export const MovementQuery = CursorPageQuery.extend({
  from: Instant.optional().transform((v) => (v && v.length === 10 ? `${v}T00:00:00.000Z` : v)),
  to: Instant.optional().transform((v) => (v && v.length === 10 ? `${v}T23:59:59.999Z` : v)),
});

export const AlertQuery = CursorPageQuery.extend({
  kind: AlertKindSchema.optional(),
  region: RegionCodeSchema.optional(),
});

/** Locations, stock levels and movements, threshold alerts. */
export const inventoryContext = defineContext({
  name: 'inventory',
  resources: { mainTable: 'readwrite', idempotencyTable: true, eventBus: true },
  routes: [
    {
      operationId: 'listLocations',
      method: 'GET',
      path: '/locations',
      summary: 'List warehouses and dealer locations (dealers: their own; regional staff: warehouses and their regions’ dealers)',
      permission: 'locations:read',
      query: LocationListQuery,
      response: page(LocationView),
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'createLocation',
      method: 'POST',
      path: '/locations',
      summary: 'Create a warehouse (headquarters staff) or a dealer location (dealer administrators: their own)',
      permission: 'locations:manage',
      body: NewLocationSchema,
      response: LocationView,
      successStatus: 201,
      idempotent: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'getLocation',
      method: 'GET',
      path: '/locations/{locationCode}',
      summary: 'Read a location',
      permission: 'locations:read',
      params: LocationParams,
      response: LocationView,
      successStatus: 200,
      returnsETag: true,
      mutates: false,
    },
    {
      operationId: 'updateLocation',
      method: 'PATCH',
      path: '/locations/{locationCode}',
      summary: 'Rename, re-address or deactivate a location',
      permission: 'locations:manage',
      params: LocationParams,
      body: LocationChangesSchema,
      response: LocationView,
      successStatus: 200,
      requiresIfMatch: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'receiveStock',
      method: 'POST',
      path: '/stock/receipts',
      summary: 'Receive goods into a location (a receipt movement)',
      permission: 'stock:move',
      body: ReceiptSchema,
      response: StockChangeView,
      successStatus: 201,
      idempotent: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'adjustStock',
      method: 'POST',
      path: '/stock/adjustments',
      summary: 'Correct on-hand stock with a reason (damage, loss, found goods); never below what is reserved',
      permission: 'stock:move',
      body: AdjustmentSchema,
      response: StockChangeView,
      successStatus: 201,
      idempotent: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'transferStock',
      method: 'POST',
      path: '/stock-transfers',
      summary: 'Move stock between two locations: both sides and both movements in one transaction',
      permission: 'stock:move',
      body: TransferSchema,
      response: TransferResultView,
      successStatus: 201,
      idempotent: true,
      mutates: true,
    },
    {
      operationId: 'getStockTransfer',
      method: 'GET',
      path: '/stock-transfers/{transferId}',
      summary: 'Read a transfer document',
      permission: 'stock:read',
      params: TransferParams,
      response: TransferView,
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'listStock',
      method: 'GET',
      path: '/stock',
      summary: 'Stock of one SKU across locations (`sku`), or of everything at one location (`locationCode`)',
      permission: 'stock:read',
      query: StockListQuery,
      response: page(StockLevelView),
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'listStockAlerts',
      method: 'GET',
      path: '/stock/alerts',
      summary: 'Levels currently below their reorder point or above their overstock level',
      permission: 'stock:read',
      query: AlertQuery,
      response: page(AlertView),
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'getStockLevel',
      method: 'GET',
      path: '/stock/{locationCode}/{sku}',
      summary: 'On hand, reserved, available and thresholds of one SKU at one location',
      permission: 'stock:read',
      params: LevelParams,
      response: StockLevelView,
      successStatus: 200,
      returnsETag: true,
      mutates: false,
    },
    {
      operationId: 'setStockThresholds',
      method: 'PATCH',
      path: '/stock/{locationCode}/{sku}',
      summary: 'Set or clear the reorder point and overstock level (null clears)',
      permission: 'stock:move',
      params: LevelParams,
      body: ThresholdChangesSchema,
      response: StockLevelView,
      successStatus: 200,
      requiresIfMatch: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'listStockMovements',
      method: 'GET',
      path: '/stock/{locationCode}/{sku}/movements',
      summary: 'Movement history of one SKU at one location, newest first, optionally between two dates',
      permission: 'stock:read',
      params: LevelParams,
      query: MovementQuery,
      response: page(MovementView),
      successStatus: 200,
      mutates: false,
    },
  ],
});
