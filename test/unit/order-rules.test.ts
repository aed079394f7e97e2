import { describe, expect, it } from 'vitest';
import type { Product } from '../../domain/catalog/product';
import { ValidationError } from '../../domain/shared/errors';
import { canTransition, orderTotals, ORDER_STATUSES, FINAL_STATUSES } from '../../domain/orders/order';
import { priceOrderLines, type OrderPricingSources } from '../../domain/orders/order-pricing';
import { defaultShipTo } from '../../domain/orders/order-service';

const at = '2026-01-01T00:00:00.000Z';
function product(sku: string, overrides: Partial<Product> = {}): Product {
  return { sku, name: `产品${sku}`, nameEn: sku, category: 'AC', unit: 'UNIT', vatRate: 1300, status: 'active', listPrice: { amount: 10_001, currency: 'CNY' }, createdAt: at, createdBy: 't', updatedAt: at, version: 1, ...overrides } as Product;
}

function sources(products: Product[]): OrderPricingSources {
  return {
    products: { get: async (sku) => products.find((p) => p.sku === sku), getMany: async (skus) => products.filter((p) => skus.includes(p.sku)) },
    priceLists: { candidatesFor: async () => [] } as never,
    specialPrices: { candidatesFor: async () => [] } as never,
    promotions: { candidatesFor: async () => [] } as never,
  };
}

const dealer = { id: 'D1', tier: 'gold' as const, channelType: 'distributor' as const };

describe('order pricing', () => {
  it('prices each line with VAT rounded half-up per line; totals are the sums of the lines', async () => {
    const priced = await priceOrderLines(sources([product('A-1'), product('B-1', { vatRate: 900, listPrice: { amount: 333, currency: 'CNY' } })]), dealer, [{ sku: 'A-1', quantity: 3 }, { sku: 'B-1', quantity: 7 }], '2026-03-01');
    expect(priced.currency).toBe('CNY');
    expect(priced.lines.map((l) => [l.lineNo, l.lineNet, l.vatAmount, l.lineGross])).toEqual([
      [1, 30_003, 3_900, 33_903], // 30003 × 13 % = 3900.39 → 3900
      [2, 2_331, 210, 2_541], // 2331 × 9 % = 209.79 → 210
    ]);
    const totals = orderTotals(priced.lines);
    expect(totals).toEqual({ lineExtension: 32_334, discount: 0, net: 32_334, vat: 4_110, gross: 36_444 });
  });

  it('collects every line problem with its path and code', async () => {
    const catalog = [product('MIN-1', { minOrderQuantity: 10, orderMultiple: 5 }), product('OLD-1', { status: 'discontinued' }), product('USD-1', { listPrice: { amount: 100, currency: 'USD' } })];
    const error = await priceOrderLines(sources(catalog), dealer, [{ sku: 'MIN-1', quantity: 12 }, { sku: 'NONE', quantity: 1 }, { sku: 'OLD-1', quantity: 1 }, { sku: 'USD-1', quantity: 1 }], '2026-03-01').catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('order_lines_invalid');
    expect(error.fieldErrors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)).toEqual([
      'body/lines/0/quantity not_order_multiple',
      'body/lines/1/sku unknown_sku',
      'body/lines/2/sku product_discontinued',
      'body/lines/3/sku mixed_currencies',
    ]);
  });
});

describe('order status rules', () => {
  it('final states go nowhere; shipped orders cannot be cancelled; drafts cannot skip submission', () => {
    for (const status of FINAL_STATUSES) for (const to of ORDER_STATUSES) expect(canTransition(status, to)).toBe(false);
    expect(canTransition('shipped', 'cancelled')).toBe(false);
    expect(canTransition('partially_shipped', 'cancelled')).toBe(false);
    expect(canTransition('draft', 'approved')).toBe(false);
    expect(canTransition('approved', 'failed')).toBe(true);
  });

  it('the default ship-to is the default shipping address with its recipient, else the primary contact', () => {
    const base = { contacts: [{ name: '王经理', mobile: '13800138000', primary: true }], addresses: [] } as never;
    expect(defaultShipTo(base)).toBeUndefined();
    const withAddress = {
      contacts: [{ name: '王经理', mobile: '13800138000', primary: true }],
      addresses: [{ type: 'shipping', province: '浙江省', city: '杭州', street: '文一路 1 号', isDefault: true }],
    } as never;
    expect(defaultShipTo(withAddress)).toEqual({ recipient: '王经理', phone: '13800138000', province: '浙江省', city: '杭州', street: '文一路 1 号' });
  });
});
