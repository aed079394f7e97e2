import { describe, expect, it } from 'vitest';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { PriceListRepository, PromotionRepository, SpecialPriceRepository } from '../../domain/catalog/ports';
import type { SpecialPrice } from '../../domain/catalog/price-policy';
import { PricingService } from '../../domain/catalog/pricing-service';
import type { Product } from '../../domain/catalog/product';
import type { Dealer } from '../../domain/dealers/dealer';
import { NotFoundError } from '../../domain/shared/errors';

const STAMP = { createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'test', updatedAt: '2026-01-01T00:00:00.000Z', version: 1 };
const dealer = (id: string, region: string): Dealer =>
  ({ id, code: id, name: id, uscc: 'x', tier: 'gold', channelType: 'retailer', region, status: 'active', statusChangedAt: STAMP.createdAt, contacts: [], addresses: [], ...STAMP }) as Dealer;
const DEALERS = new Map([
  ['EAST-1', dealer('EAST-1', 'CN-EAST')],
  ['SOUTH-1', dealer('SOUTH-1', 'CN-SOUTH')],
]);
const PRODUCT: Product = { sku: 'AC-1', name: '空调', nameEn: 'AC', category: 'AC', unit: 'UNIT', vatRate: 1300, status: 'active', listPrice: { amount: 100_000, currency: 'CNY' }, ...STAMP };
const special = (id: string, dealerId: string): SpecialPrice => ({ id, dealerId, sku: 'AC-1', amount: 90_000, currency: 'CNY', validFrom: '2026-01-01', allowAboveListPrice: false, ...STAMP });
const SPECIALS = [special('S-EAST', 'EAST-1'), special('S-SOUTH', 'SOUTH-1')];

const unused = () => Promise.reject(new Error('not used'));
const specialPrices: SpecialPriceRepository = {
  get: async (id) => SPECIALS.find((s) => s.id === id),
  create: unused,
  replace: unused,
  delete: unused,
  list: async (filter) => ({ items: SPECIALS.filter((s) => !filter.dealerId || s.dealerId === filter.dealerId) }),
  candidatesFor: async (dealerId, sku) => SPECIALS.filter((s) => s.dealerId === dealerId && s.sku === sku),
};
const priceLists: PriceListRepository = { get: unused, create: unused, replace: unused, delete: unused, list: unused, candidatesFor: async () => [] };
const promotions: PromotionRepository = { get: unused, create: unused, replace: unused, delete: unused, list: unused, candidatesFor: async () => [] };

const service = new PricingService({
  priceLists,
  specialPrices,
  promotions,
  products: { get: async (sku) => (sku === PRODUCT.sku ? PRODUCT : undefined), getMany: async () => [PRODUCT] },
  dealers: { get: async (id) => DEALERS.get(id) },
  timeZone: 'Asia/Shanghai',
});

const principal = (role: string, claims: { dealerId?: string; regions?: string[] } = {}) =>
  resolvePrincipal({ userId: role, username: role, roles: [role], regions: claims.regions ?? [], ...(claims.dealerId ? { dealerId: claims.dealerId } : {}) }, [BUILT_IN_ROLES.get(role)!]);
const NOW = new Date('2026-06-15T02:00:00Z');

describe('PricingService: object-level scope of quotes and special prices', () => {
  it('a dealer quotes itself; another dealer or an unknown one is the same 404', async () => {
    const own = principal('dealer_user', { dealerId: 'EAST-1' });
    const quote = await service.quote({ principal: own, now: NOW }, { dealerId: 'EAST-1', sku: 'AC-1', quantity: 1 });
    expect(quote).toMatchObject({ unitPrice: 90_000, date: '2026-06-15', explanation: { winner: { id: 'S-EAST' } } });
    await expect(service.quote({ principal: own, now: NOW }, { dealerId: 'SOUTH-1', sku: 'AC-1', quantity: 1 })).rejects.toThrow(NotFoundError);
    await expect(service.quote({ principal: own, now: NOW }, { dealerId: 'GHOST', sku: 'AC-1', quantity: 1 })).rejects.toThrow('Dealer GHOST was not found.');
  });

  it('an unknown SKU is a 404 only after the dealer check passed', async () => {
    const admin = principal('admin');
    await expect(service.quote({ principal: admin, now: NOW }, { dealerId: 'EAST-1', sku: 'NOPE', quantity: 1 })).rejects.toThrow('Product NOPE');
    const outsider = principal('dealer_user', { dealerId: 'EAST-1' });
    await expect(service.quote({ principal: outsider, now: NOW }, { dealerId: 'SOUTH-1', sku: 'NOPE', quantity: 1 })).rejects.toThrow('Dealer SOUTH-1');
  });

  it('region-scoped staff list and read only their regions’ special prices', async () => {
    const east = principal('sales_manager', { regions: ['CN-EAST'] });
    expect((await service.listSpecialPrices(east, {}, { limit: 25 })).items.map((s) => s.id)).toEqual(['S-EAST']);
    expect((await service.listSpecialPrices(east, { dealerId: 'SOUTH-1' }, { limit: 25 })).items).toEqual([]);
    expect((await service.getSpecialPrice(east, 'S-EAST')).id).toBe('S-EAST');
    await expect(service.getSpecialPrice(east, 'S-SOUTH')).rejects.toThrow(NotFoundError);
    expect((await service.listSpecialPrices(principal('admin'), {}, { limit: 25 })).items).toHaveLength(2);
  });

  it('a dealer-scoped role (custom, with prices:read) is confined to its own dealer', async () => {
    const dealerReader = resolvePrincipal({ userId: 'x', username: 'x', roles: ['custom'], regions: [], dealerId: 'EAST-1' }, [
      { name: 'custom', description: '', permissions: ['prices:read'], scope: 'dealer', builtIn: false },
    ]);
    expect((await service.listSpecialPrices(dealerReader, {}, { limit: 25 })).items.map((s) => s.id)).toEqual(['S-EAST']);
    expect((await service.listSpecialPrices(dealerReader, { dealerId: 'SOUTH-1' }, { limit: 25 })).items).toEqual([]);
    await expect(service.getSpecialPrice(dealerReader, 'S-SOUTH')).rejects.toThrow(NotFoundError);
  });
});
