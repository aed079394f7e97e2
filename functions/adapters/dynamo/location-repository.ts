import type { Location, LocationReader } from '../../../domain/inventory/location';
import type { LocationListFilter, LocationRepository } from '../../../domain/inventory/ports';
import type { Page } from '../../../domain/dealers/ports';
import { ConflictError, ValidationError, VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { dms } from './service';
import { conditionFailed, writeTransaction } from './transaction';

/** Operational attributes on the location item that are not part of the Location model. */
type LocationItem = Location & { frozenByStocktake?: string };

export function toLocation(item: Record<string, unknown>): Location {
  const { frozenByStocktake: _frozen, ...location } = item as unknown as LocationItem;
  return location;
}

interface LocationCursor {
  index: 'all' | 'byDealer' | 'byRegion';
  key?: string;
  electro: string;
}

/** Optional address fields a change may clear (null in the request). */
const CLEARABLE = ['province', 'city', 'street'] as const;

/** BatchGet takes at most 100 keys per call. */
const BATCH = 100;

export const locationRepository: LocationReader & LocationRepository = {
  async get(code) {
    const result = await dms().entities.location.get({ code }).go();
    return result.data ? toLocation(result.data) : undefined;
  },

  async getMany(codes) {
    const unique = [...new Set(codes)];
    const found = new Map<string, Location>();
    for (let i = 0; i < unique.length; i += BATCH) {
      const result = await dms()
        .entities.location.get(unique.slice(i, i + BATCH).map((code) => ({ code })))
        .go({ preserveBatchOrder: false });
      for (const item of result.data) if (item) found.set(item.code, toLocation(item));
    }
    return found;
  },

  async listByDealer(dealerId) {
    const result = await dms().entities.location.query.byDealer({ dealerId }).go({ pages: 'all' });
    return result.data.map((item) => toLocation(item));
  },

  async isFrozen(code) {
    const result = await dms().entities.location.get({ code }).go({ attributes: ['frozenByStocktake'] });
    return Boolean(result.data?.frozenByStocktake);
  },

  async create(location, audit) {
    await writeTransaction(
      ({ location: locations, audit: auditRecords }) => [
        locations.create(location).commit(),
        auditRecords.create(auditItem(audit)).commit(),
      ],
      (reasons) => (conditionFailed(reasons, 0) ? new ConflictError('location_code_taken', `Location code ${location.code} is already in use.`) : undefined),
    );
  },

  async replace(location, expectedVersion, audit) {
    // Only the Location fields: a freeze set by a stocktake meanwhile stays untouched.
    const { code, kind: _kind, dealerId: _dealerId, createdAt: _createdAt, ...changes } = location;
    const cleared = CLEARABLE.filter((field) => location[field] === undefined);
    await writeTransaction(
      ({ location: locations, audit: auditRecords }) => {
        const update = locations.patch({ code }).set(changes);
        return [
          (cleared.length ? update.remove(cleared) : update).where((attr, op) => op.eq(attr.version, expectedVersion)).commit(),
          auditRecords.create(auditItem(audit)).commit(),
        ];
      },
      (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError('Location', code) : undefined),
    );
  },

  async list(filter: LocationListFilter, page: { limit: number; cursor?: string }): Promise<Page<Location>> {
    const entity = dms().entities.location;
    const index: LocationCursor['index'] = filter.dealerId ? 'byDealer' : filter.region ? 'byRegion' : 'all';
    const key = filter.dealerId ?? filter.region;
    const cursor = page.cursor ? decodeCursor<LocationCursor>(page.cursor, 'locations') : undefined;
    if (cursor && (cursor.index !== index || cursor.key !== key)) {
      throw new ValidationError('The cursor belongs to a different filter.', [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
    }
    const base =
      index === 'byDealer'
        ? entity.query.byDealer({ dealerId: filter.dealerId! })
        : index === 'byRegion'
          ? entity.query.byRegion({ region: filter.region! })
          : entity.query.all({});
    const hasFilter = Boolean(filter.kind || filter.status || filter.enterpriseOnly || filter.visibleRegions || (filter.dealerId && filter.region));
    const query = base.where((attr, op) => {
      const clauses: string[] = [];
      if (filter.kind) clauses.push(op.eq(attr.kind, filter.kind));
      if (filter.status) clauses.push(op.eq(attr.status, filter.status));
      if (filter.dealerId && filter.region) clauses.push(op.eq(attr.region, filter.region));
      if (filter.enterpriseOnly) clauses.push(op.notExists(attr.dealerId));
      if (filter.visibleRegions) {
        // Region-scoped staff: every enterprise warehouse, dealer locations only in their regions.
        clauses.push(`(${[op.notExists(attr.dealerId), ...filter.visibleRegions.map((r) => op.eq(attr.region, r))].join(' OR ')})`);
      }
      return clauses.join(' AND ');
    });
    const result = await withClientCursor(cursor?.electro, () =>
      query.go({ count: page.limit, limit: hasFilter ? Math.min(page.limit * 4, 400) : page.limit, cursor: cursor?.electro ?? null }),
    );
    return {
      items: result.data.map((item) => toLocation(item)),
      ...(result.cursor ? { nextCursor: encodeCursor('locations', { index, ...(key ? { key } : {}), electro: result.cursor }) } : {}),
    };
  },
};
