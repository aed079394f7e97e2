import * as z from 'zod';
import {
  ApproveStocktakeSchema,
  CancelStocktakeSchema,
  CountBatchSchema,
  LocationCodeSchema,
  OpenStocktakeSchema,
} from '../../../domain/stocktakes/stocktake';
import { STOCKTAKE_STATUSES } from '../../../domain/stocktakes/stocktake';
import { defineContext } from '../route';
import { CursorPageQuery, page } from '../schemas';
import { CountBatchView, LINE_STATES, StocktakeView, VarianceReportView } from './views';

const StocktakeIdParams = z.strictObject({ stocktakeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a stocktake id') });

export const StocktakeListQuery = CursorPageQuery.extend({
  locationCode: LocationCodeSchema.optional(),
  status: z.enum(STOCKTAKE_STATUSES).optional(),
});

export const VarianceQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).max(2048).optional(),
  state: z.enum(LINE_STATES).optional().describe('only lines in this state'),
  differencesOnly: z.enum(['true', 'false']).optional().describe('only lines whose count differs from the book (over and short)'),
});

/** Stocktaking: counts per location, variance reports and their approval into stock movements. */
export const stocktakesContext = defineContext({
  name: 'stocktakes',
  resources: { mainTable: 'readwrite', idempotencyTable: true, eventBus: true },
  routes: [
    {
      operationId: 'openStocktake',
      method: 'POST',
      path: '/stocktakes',
      summary: 'Open a count at a location (snapshots the book quantities; optionally freezes the location)',
      description:
        'One open stocktake per location. With `freeze`, every other stock movement at the location gets 409 `location_frozen` until the count is approved or cancelled. Without it, stock keeps moving: each counted line is measured against the book quantity when it was counted.',
      permission: 'stocktakes:manage',
      body: OpenStocktakeSchema,
      response: StocktakeView,
      successStatus: 201,
      idempotent: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'listStocktakes',
      method: 'GET',
      path: '/stocktakes',
      summary: 'List stocktakes, newest first (filter by location and status)',
      permission: 'stock:read',
      query: StocktakeListQuery,
      response: page(StocktakeView),
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'getStocktake',
      method: 'GET',
      path: '/stocktakes/{stocktakeId}',
      summary: 'Read a stocktake',
      permission: 'stock:read',
      params: StocktakeIdParams,
      response: StocktakeView,
      successStatus: 200,
      returnsETag: true,
      mutates: false,
    },
    {
      operationId: 'submitStocktakeCounts',
      method: 'POST',
      path: '/stocktakes/{stocktakeId}/counts',
      summary: 'Submit a batch of counted quantities (up to 1,000 lines; a recount overwrites)',
      description: 'Each line records the book on-hand at submission, the quantity its variance is measured against. Replays with the same Idempotency-Key return the first response.',
      permission: 'stocktakes:manage',
      params: StocktakeIdParams,
      body: CountBatchSchema,
      response: CountBatchView,
      successStatus: 201,
      idempotent: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'getStocktakeVariances',
      method: 'GET',
      path: '/stocktakes/{stocktakeId}/variances',
      summary: 'Variance report: book vs counted per line, quantity and value at list price',
      permission: 'stock:read',
      params: StocktakeIdParams,
      query: VarianceQuery,
      response: VarianceReportView,
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'approveStocktake',
      method: 'POST',
      path: '/stocktakes/{stocktakeId}/approval',
      summary: 'Approve: post one stocktake_variance movement per differing line, close the count',
      description:
        'Postings are written in chunks, each one transaction; if the request fails midway, send it again with the same If-Match: it resumes and never posts a line twice.',
      permission: 'stocktakes:approve',
      params: StocktakeIdParams,
      body: ApproveStocktakeSchema,
      response: StocktakeView,
      successStatus: 200,
      requiresIfMatch: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'cancelStocktake',
      method: 'POST',
      path: '/stocktakes/{stocktakeId}/cancellation',
      summary: 'Cancel a count (nothing is posted; the location is unfrozen)',
      permission: 'stocktakes:manage',
      params: StocktakeIdParams,
      body: CancelStocktakeSchema,
      response: StocktakeView,
      successStatus: 200,
      requiresIfMatch: true,
      returnsETag: true,
      mutates: true,
    },
  ],
});
