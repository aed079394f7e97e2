import { nameSearchKey, type Dealer } from '../../../domain/dealers/dealer';
import type { DealerListFilter, DealerRepository, Page, Region, RegionRepository } from '../../../domain/dealers/ports';
import { ConflictError, ValidationError, VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { dms } from './service';
import { conditionFailed, writeTransaction } from './transaction';

type DealerItem = Dealer & { nameKey: string };

function toItem(dealer: Dealer): DealerItem {
  return { ...dealer, nameKey: nameSearchKey(dealer.name) };
}

function toDealer(item: Record<string, unknown>): Dealer {
  const { nameKey: _nameKey, ...dealer } = item;
  return dealer as unknown as Dealer;
}

interface DealerCursor {
  index: 'byName' | 'byRegion';
  region?: string;
  electro: string;
}

export const dealerRepository: DealerRepository = {
  async get(id) {
    const result = await dms().entities.dealer.get({ id }).go();
    return result.data ? toDealer(result.data) : undefined;
  },

  async create(dealer, audit) {
    await writeTransaction(
      ({ dealer: dealers, dealerCode, region, audit: auditRecords }) => [
        dealers.create(toItem(dealer)).commit(),
        dealerCode.create({ code: dealer.code, dealerId: dealer.id }).commit(),
        region
          .check({ code: dealer.region })
          .where((attr, op) => op.exists(attr.code))
          .commit(),
        auditRecords.create(auditItem(audit)).commit(),
      ],
      (reasons) => {
        if (conditionFailed(reasons, 1)) return new ConflictError('dealer_code_taken', `Dealer code ${dealer.code} is already in use.`);
        if (conditionFailed(reasons, 2)) return unknownRegion(dealer.region);
        return undefined;
      },
    );
  },

  async replace(dealer, expectedVersion, audit) {
    // The region only needs checking when this change moves the dealer to another one.
    const regionChanged = 'region' in audit.changes;
    await writeTransaction(
      ({ dealer: dealers, region, audit: auditRecords }) => [
        dealers
          .put(toItem(dealer))
          .where((attr, op) => op.eq(attr.version, expectedVersion))
          .commit(),
        auditRecords.create(auditItem(audit)).commit(),
        ...(regionChanged
          ? [
              region
                .check({ code: dealer.region })
                .where((attr, op) => op.exists(attr.code))
                .commit(),
            ]
          : []),
      ],
      (reasons) => {
        if (conditionFailed(reasons, 0)) return new VersionMismatchError('Dealer', dealer.id);
        if (regionChanged && conditionFailed(reasons, 2)) return unknownRegion(dealer.region);
        return undefined;
      },
    );
  },

  async list(filter: DealerListFilter, page: { limit: number; cursor?: string }): Promise<Page<Dealer>> {
    const entity = dms().entities.dealer;
    const singleRegion = filter.regions?.length === 1 ? filter.regions[0] : undefined;
    const index: DealerCursor['index'] = singleRegion ? 'byRegion' : 'byName';
    const cursor = page.cursor ? decodeCursor<DealerCursor>(page.cursor, 'dealers') : undefined;
    if (cursor && (cursor.index !== index || cursor.region !== singleRegion)) {
      throw new ValidationError('The cursor belongs to a different filter.', [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
    }
    const prefix = filter.namePrefix ? { nameKey: nameSearchKey(filter.namePrefix) } : undefined;
    const base = singleRegion ? entity.query.byRegion({ region: singleRegion }) : entity.query.byName({});
    const ranged = prefix ? base.begins(prefix) : base;
    const hasFilter = Boolean(filter.tier || filter.channelType || filter.status || (filter.regions && !singleRegion));
    const query = ranged.where((attr, op) => {
      const clauses: string[] = [];
      if (filter.tier) clauses.push(op.eq(attr.tier, filter.tier));
      if (filter.channelType) clauses.push(op.eq(attr.channelType, filter.channelType));
      if (filter.status) clauses.push(op.eq(attr.status, filter.status));
      if (filter.regions && !singleRegion) {
        clauses.push(`(${filter.regions.map((r) => op.eq(attr.region, r)).join(' OR ')})`);
      }
      return clauses.join(' AND ');
    });
    const result = await withClientCursor(cursor?.electro, () =>
      query.go({
        count: page.limit,
        // With a filter, read ahead so a page usually needs one round trip.
        limit: hasFilter ? Math.min(page.limit * 4, 400) : page.limit,
        cursor: cursor?.electro ?? null,
      }),
    );
    return {
      items: result.data.map((item) => toDealer(item)),
      ...(result.cursor
        ? { nextCursor: encodeCursor('dealers', { index, ...(singleRegion ? { region: singleRegion } : {}), electro: result.cursor }) }
        : {}),
    };
  },
};

function unknownRegion(region: string) {
  return new ValidationError(`Region ${region} does not exist.`, [{ path: 'region', message: 'unknown region', code: 'unknown_region' }], 'unknown_region');
}

export const regionRepository: RegionRepository = {
  async list(): Promise<Region[]> {
    const result = await dms().entities.region.query.all({}).go({ pages: 'all' });
    return result.data.map(({ code, name, nameEn }) => ({ code, name, nameEn }));
  },
};
