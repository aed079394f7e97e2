import { OPEN_END } from '../../../domain/shared/business-date';
import type { PriceListRepository, PromotionRepository, SpecialPriceRepository } from '../../../domain/catalog/ports';
import type { PriceList, Promotion, SpecialPrice } from '../../../domain/catalog/price-policy';
import { ValidationError } from '../../../domain/shared/errors';
import { createAudited, deleteAudited, replaceAudited } from './catalog-writes';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { dms } from './service';

/**
 * Price policy stores. The quote reads (`candidatesFor`) are key-range Queries on "ends on or
 * after the date" (validToKey, open-ended = 9999-12-31), so expired history is never read.
 */

/** Running and upcoming rules are few; this only bounds a runaway read. */
const MAX_CANDIDATE_PAGES = 10;

interface ListCursor {
  index: string;
  key?: string;
  electro: string;
}

function readCursor(cursor: string | undefined, list: string, index: string, key?: string): ListCursor | undefined {
  if (!cursor) return undefined;
  const state = decodeCursor<ListCursor>(cursor, list);
  if (state.index !== index || state.key !== key) {
    throw new ValidationError('The cursor belongs to a different filter.', [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
  }
  return state;
}

function nextCursor(list: string, index: string, key: string | undefined, electro: string | null) {
  return electro ? { nextCursor: encodeCursor(list, { index, ...(key !== undefined ? { key } : {}), electro }) } : {};
}

const validToKey = (validTo: string | undefined) => validTo ?? OPEN_END;

// ── price lists ──────────────────────────────────────────────────────────────

function priceListTarget(list: Pick<PriceList, 'tier' | 'channelType'>): string {
  return list.tier ? `tier:${list.tier}` : `channel:${list.channelType}`;
}

function toPriceList(item: Record<string, unknown>): PriceList {
  const { target: _target, validToKey: _validToKey, ...list } = item;
  return list as unknown as PriceList;
}

const priceListItem = (list: PriceList) => ({ ...list, target: priceListTarget(list), validToKey: validToKey(list.validTo) });

export const priceListRepository: PriceListRepository = {
  async get(id) {
    const result = await dms().entities.priceList.get({ id }).go();
    return result.data ? toPriceList(result.data) : undefined;
  },
  create: (list, audit) => createAudited('priceList', priceListItem(list), audit),
  replace: (list, expectedVersion, audit) => replaceAudited('priceList', priceListItem(list), expectedVersion, audit, 'PriceList'),
  delete: (id, expectedVersion, audit) => deleteAudited('priceList', { id }, expectedVersion, audit, 'PriceList'),

  async list(filter, page) {
    const entity = dms().entities.priceList;
    if (filter.tier && filter.channelType) return { items: [] }; // a list is for a tier or a channel, never both
    const target = filter.tier ? `tier:${filter.tier}` : filter.channelType ? `channel:${filter.channelType}` : undefined;
    const index = target ? 'byTarget' : 'all';
    const cursor = readCursor(page.cursor, 'price-lists', index, target);
    const activeOn = filter.activeOn;
    const base = target
      ? activeOn
        ? entity.query.byTarget({ target }).gte({ validToKey: activeOn })
        : entity.query.byTarget({ target })
      : entity.query.all({});
    const query = base.where((attr, op) => {
      if (!activeOn) return '';
      return target ? op.lte(attr.validFrom, activeOn) : `${op.lte(attr.validFrom, activeOn)} AND ${op.gte(attr.validToKey, activeOn)}`;
    });
    const result = await withClientCursor(cursor?.electro, () =>
      query.go({ count: page.limit, limit: activeOn ? Math.min(page.limit * 4, 200) : page.limit, cursor: cursor?.electro ?? null, ...(target ? {} : { order: 'desc' }) }),
    );
    return { items: result.data.map((item) => toPriceList(item)), ...nextCursor('price-lists', index, target, result.cursor) };
  },

  async candidatesFor(tier, channelType, date) {
    const entity = dms().entities.priceList;
    const [tierLists, channelLists] = await Promise.all(
      [`tier:${tier}`, `channel:${channelType}`].map((target) =>
        entity.query.byTarget({ target }).gte({ validToKey: date }).go({ pages: MAX_CANDIDATE_PAGES }),
      ),
    );
    return [...tierLists!.data, ...channelLists!.data].map((item) => toPriceList(item));
  },
};

// ── special prices ───────────────────────────────────────────────────────────

function toSpecialPrice(item: Record<string, unknown>): SpecialPrice {
  const { validToKey: _validToKey, ...special } = item;
  return special as unknown as SpecialPrice;
}

const specialPriceItem = (special: SpecialPrice) => ({ ...special, validToKey: validToKey(special.validTo) });

export const specialPriceRepository: SpecialPriceRepository = {
  async get(id) {
    const result = await dms().entities.specialPrice.get({ id }).go();
    return result.data ? toSpecialPrice(result.data) : undefined;
  },
  create: (special, audit) => createAudited('specialPrice', specialPriceItem(special), audit),
  replace: (special, expectedVersion, audit) => replaceAudited('specialPrice', specialPriceItem(special), expectedVersion, audit, 'SpecialPrice'),
  delete: (id, expectedVersion, audit) => deleteAudited('specialPrice', { id }, expectedVersion, audit, 'SpecialPrice'),

  async list(filter, page) {
    const entity = dms().entities.specialPrice;
    const index = filter.dealerId ? 'byDealer' : filter.sku ? 'bySku' : 'all';
    const key = filter.dealerId ? `${filter.dealerId}|${filter.sku ?? ''}` : filter.sku;
    const cursor = readCursor(page.cursor, 'special-prices', index, key);
    const base = filter.dealerId
      ? filter.sku
        ? entity.query.byDealer({ dealerId: filter.dealerId, sku: filter.sku })
        : entity.query.byDealer({ dealerId: filter.dealerId })
      : filter.sku
        ? entity.query.bySku({ sku: filter.sku })
        : entity.query.all({});
    // The key condition on a SKU is a prefix (AC-1 would match AC-10); the filter makes it exact.
    const query = base.where((attr, op) => (filter.dealerId && filter.sku ? op.eq(attr.sku, filter.sku) : ''));
    const result = await withClientCursor(cursor?.electro, () => query.go({ count: page.limit, cursor: cursor?.electro ?? null, ...(index === 'all' ? { order: 'desc' } : {}) }));
    return { items: result.data.map((item) => toSpecialPrice(item)), ...nextCursor('special-prices', index, key, result.cursor) };
  },

  async candidatesFor(dealerId, sku, date) {
    const result = await dms()
      .entities.specialPrice.query.byDealer({ dealerId, sku })
      .where((attr, op) => `${op.eq(attr.sku, sku)} AND ${op.gte(attr.validToKey, date)}`)
      .go({ pages: MAX_CANDIDATE_PAGES });
    return result.data.map((item) => toSpecialPrice(item));
  },
};

// ── promotions ───────────────────────────────────────────────────────────────

const toPromotion = (item: Record<string, unknown>) => item as unknown as Promotion;

export const promotionRepository: PromotionRepository = {
  async get(id) {
    const result = await dms().entities.promotion.get({ id }).go();
    return result.data ? toPromotion(result.data) : undefined;
  },
  create: (promotion, audit) => createAudited('promotion', promotion, audit),
  replace: (promotion, expectedVersion, audit) => replaceAudited('promotion', promotion, expectedVersion, audit, 'Promotion'),
  delete: (id, expectedVersion, audit) => deleteAudited('promotion', { id }, expectedVersion, audit, 'Promotion'),

  async list(filter, page) {
    const entity = dms().entities.promotion;
    const cursor = readCursor(page.cursor, 'promotions', 'byEnd');
    const activeOn = filter.activeOn;
    const query = (activeOn ? entity.query.byEnd({}).gte({ validTo: activeOn }) : entity.query.byEnd({})).where((attr, op) =>
      activeOn ? op.lte(attr.validFrom, activeOn) : '',
    );
    const result = await withClientCursor(cursor?.electro, () =>
      query.go({ count: page.limit, limit: activeOn ? Math.min(page.limit * 4, 200) : page.limit, cursor: cursor?.electro ?? null }),
    );
    return { items: result.data.map((item) => toPromotion(item)), ...nextCursor('promotions', 'byEnd', undefined, result.cursor) };
  },

  async candidatesFor(date) {
    const result = await dms().entities.promotion.query.byEnd({}).gte({ validTo: date }).go({ pages: MAX_CANDIDATE_PAGES });
    return result.data.map((item) => toPromotion(item));
  },
};
