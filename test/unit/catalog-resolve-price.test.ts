import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessDate, checkValidity } from '../../domain/shared/business-date';
import { mulDivHalfUp, vatOn } from '../../domain/shared/money';
import type { PriceList, Promotion, SpecialPrice } from '../../domain/catalog/price-policy';
import { gtinWithCheckDigit, isValidGtin } from '../../domain/catalog/product';
import { PRECEDENCE, resolvePrice, type PricePolicies, type PriceRequest } from '../../domain/catalog/resolve-price';
import { CHANNEL_TYPES, DEALER_TIERS } from '../../domain/dealers/dealer';

const STAMP = { createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'test', updatedAt: '2026-01-01T00:00:00.000Z', version: 1 };
const DEALER = { id: '01JDEALERAAAAAAAAAAAAAAAAA', tier: 'gold' as const, channelType: 'retailer' as const };
const PRODUCT = { sku: 'AC-KFR-35', name: '格力 1.5匹变频挂机', category: 'AC' as const, vatRate: 1300 as const, listPrice: { amount: 300_000, currency: 'CNY' } };

function request(overrides: Partial<PriceRequest> = {}): PriceRequest {
  return { dealer: DEALER, product: PRODUCT, quantity: 1, date: '2026-06-15', ...overrides };
}

const NONE: PricePolicies = { specialPrices: [], priceLists: [], promotions: [] };

function tierList(overrides: Partial<PriceList> = {}): PriceList {
  return { id: 'PL-TIER', name: '金牌价目表', tier: 'gold', currency: 'CNY', validFrom: '2026-01-01', validTo: '2026-12-31', allowAboveListPrice: false, lines: [{ sku: PRODUCT.sku, amount: 270_000, minQuantity: 1 }], ...STAMP, ...overrides };
}

function channelList(overrides: Partial<PriceList> = {}): PriceList {
  return { id: 'PL-CHANNEL', name: '零售渠道价目表', channelType: 'retailer', currency: 'CNY', validFrom: '2026-01-01', allowAboveListPrice: false, lines: [{ sku: PRODUCT.sku, amount: 260_000, minQuantity: 1 }], ...STAMP, ...overrides };
}

function special(overrides: Partial<SpecialPrice> = {}): SpecialPrice {
  return { id: 'SP-1', dealerId: DEALER.id, sku: PRODUCT.sku, amount: 250_000, currency: 'CNY', validFrom: '2026-03-01', validTo: '2026-09-30', allowAboveListPrice: false, note: '年度协议价', ...STAMP, ...overrides };
}

function promotion(overrides: Partial<Promotion> = {}): Promotion {
  return { id: 'PROMO-1', name: '618 大促', discount: { kind: 'percent', basisPoints: 1000 }, skus: [PRODUCT.sku], categories: [], tiers: [], channelTypes: [], validFrom: '2026-06-01', validTo: '2026-06-30', ...STAMP, ...overrides };
}

const considered = (quote: ReturnType<typeof resolvePrice>, id: string) => quote.explanation.considered.find((rule) => rule.id === id);

describe('resolvePrice: precedence', () => {
  it('without any policy the base list price wins and is the only rule considered', () => {
    const quote = resolvePrice(request(), NONE);
    expect(quote.unitPrice).toBe(300_000);
    expect(quote.explanation.winner).toEqual({ kind: 'list_price', id: PRODUCT.sku, name: 'Base list price', unitPrice: 300_000 });
    expect(quote.explanation.considered).toEqual([expect.objectContaining({ kind: 'list_price', outcome: 'won', unitPrice: 300_000 })]);
    expect(quote.explanation.precedence).toEqual([...PRECEDENCE]);
    expect(quote.explanation.promotion).toBeUndefined();
  });

  it('a tier price list beats the list price', () => {
    const quote = resolvePrice(request(), { ...NONE, priceLists: [tierList()] });
    expect(quote.unitPrice).toBe(270_000);
    expect(quote.explanation.winner.kind).toBe('tier_price_list');
    expect(considered(quote, PRODUCT.sku)).toMatchObject({ kind: 'list_price', outcome: 'outranked' });
  });

  it('a channel price list beats a tier price list', () => {
    const quote = resolvePrice(request(), { ...NONE, priceLists: [tierList(), channelList()] });
    expect(quote.unitPrice).toBe(260_000);
    expect(quote.explanation.winner).toMatchObject({ kind: 'channel_price_list', id: 'PL-CHANNEL' });
    expect(considered(quote, 'PL-TIER')).toMatchObject({ outcome: 'outranked', unitPrice: 270_000 });
    expect(considered(quote, 'PL-TIER')!.detail).toContain('outranked by the channel price list');
  });

  it('a dealer special price beats every price list, even a cheaper one', () => {
    const quote = resolvePrice(request(), { ...NONE, specialPrices: [special({ amount: 265_000 })], priceLists: [tierList({ lines: [{ sku: PRODUCT.sku, amount: 200_000, minQuantity: 1 }] }), channelList()] });
    expect(quote.unitPrice).toBe(265_000);
    expect(quote.explanation.winner).toMatchObject({ kind: 'special_price', id: 'SP-1', name: '年度协议价' });
    expect(quote.explanation.considered.map((r) => [r.kind, r.outcome])).toEqual([
      ['special_price', 'won'],
      ['channel_price_list', 'outranked'],
      ['tier_price_list', 'outranked'],
      ['list_price', 'outranked'],
    ]);
  });

  it('within one level the rule that became valid last wins; the others are superseded', () => {
    const older = tierList({ id: 'PL-OLD', name: '2026 春季', validFrom: '2026-01-01', validTo: undefined });
    const newer = tierList({ id: 'PL-NEW', name: '2026 夏季', validFrom: '2026-06-01', validTo: undefined, lines: [{ sku: PRODUCT.sku, amount: 275_000, minQuantity: 1 }] });
    const quote = resolvePrice(request(), { ...NONE, priceLists: [newer, older] });
    expect(quote.unitPrice).toBe(275_000);
    expect(considered(quote, 'PL-OLD')).toMatchObject({ outcome: 'superseded' });
    expect(considered(quote, 'PL-OLD')!.detail).toContain('superseded by 2026 夏季');
    // Same start date: the later-created (larger id) wins.
    const twin = resolvePrice(request(), { ...NONE, specialPrices: [special({ id: 'SP-A', amount: 1 }), special({ id: 'SP-B', amount: 2 })] });
    expect(twin.explanation.winner.id).toBe('SP-B');
  });

  it('the dealer’s tier and channel decide which lists apply; other dealers’ special prices never do', () => {
    const quote = resolvePrice(request(), {
      specialPrices: [special({ dealerId: '01JOTHERDEALERAAAAAAAAAAAA' }), special({ id: 'SP-SKU', sku: 'OTHER-SKU' })],
      priceLists: [tierList({ tier: 'silver' }), channelList({ channelType: 'distributor' })],
      promotions: [],
    });
    expect(quote.unitPrice).toBe(300_000);
    expect(considered(quote, 'SP-1')).toMatchObject({ outcome: 'not_applicable', reason: 'other_dealer' });
    expect(considered(quote, 'SP-SKU')).toMatchObject({ outcome: 'not_applicable', reason: 'other_sku' });
    expect(considered(quote, 'PL-TIER')).toMatchObject({ outcome: 'not_applicable', reason: 'other_tier' });
    expect(considered(quote, 'PL-CHANNEL')).toMatchObject({ outcome: 'not_applicable', reason: 'other_channel' });
  });

  it('a list without the SKU, or in another currency, does not apply', () => {
    const quote = resolvePrice(request(), { ...NONE, priceLists: [tierList({ lines: [{ sku: 'X-1', amount: 1, minQuantity: 1 }] }), channelList({ currency: 'USD' })] });
    expect(quote.unitPrice).toBe(300_000);
    expect(considered(quote, 'PL-TIER')).toMatchObject({ reason: 'no_price_for_sku' });
    expect(considered(quote, 'PL-CHANNEL')).toMatchObject({ reason: 'currency_mismatch' });
  });

  it('quantity breaks: the largest break not above the quantity; below every break the list does not apply', () => {
    const list = tierList({ lines: [{ sku: PRODUCT.sku, amount: 280_000, minQuantity: 5 }, { sku: PRODUCT.sku, amount: 270_000, minQuantity: 20 }, { sku: PRODUCT.sku, amount: 260_000, minQuantity: 100 }] });
    const at = (quantity: number) => resolvePrice(request({ quantity }), { ...NONE, priceLists: [list] });
    expect(at(4).unitPrice).toBe(300_000);
    expect(considered(at(4), 'PL-TIER')).toMatchObject({ reason: 'below_min_quantity' });
    expect(at(5).unitPrice).toBe(280_000);
    expect(at(19).unitPrice).toBe(280_000);
    expect(at(20).unitPrice).toBe(270_000);
    expect(at(100).unitPrice).toBe(260_000);
    expect(considered(at(100), 'PL-TIER')!.detail).toContain('from 100 units');
  });
});

describe('resolvePrice: validity boundaries (both ends inclusive)', () => {
  const window = { validFrom: '2026-03-01', validTo: '2026-09-30' };
  it.each([
    ['2026-02-28', 'not_applicable', 'not_yet_valid'],
    ['2026-03-01', 'won', undefined],
    ['2026-09-30', 'won', undefined],
    ['2026-10-01', 'not_applicable', 'expired'],
  ])('special price valid 2026-03-01 – 2026-09-30 on %s: %s', (date, outcome, reason) => {
    const quote = resolvePrice(request({ date }), { ...NONE, specialPrices: [special(window)] });
    expect(considered(quote, 'SP-1')).toMatchObject({ outcome, ...(reason ? { reason } : {}) });
    expect(quote.unitPrice).toBe(outcome === 'won' ? 250_000 : 300_000);
  });

  it.each([
    ['2025-12-31', false],
    ['2026-01-01', true],
    ['2026-12-31', true],
    ['2027-01-01', false],
  ])('tier list valid in 2026 on %s applies: %s', (date, applies) => {
    expect(resolvePrice(request({ date }), { ...NONE, priceLists: [tierList()] }).unitPrice).toBe(applies ? 270_000 : 300_000);
  });

  it('an open-ended list applies any day from its start', () => {
    expect(resolvePrice(request({ date: '2099-12-31' }), { ...NONE, priceLists: [channelList()] }).unitPrice).toBe(260_000);
    expect(checkValidity({ validFrom: '2026-01-01' }, '2025-12-31')).toBe('not_yet_valid');
  });

  it.each([
    ['2026-05-31', false],
    ['2026-06-01', true],
    ['2026-06-30', true],
    ['2026-07-01', false],
  ])('a June promotion on %s applies: %s', (date, applies) => {
    const quote = resolvePrice(request({ date }), { ...NONE, promotions: [promotion()] });
    expect(quote.unitPrice).toBe(applies ? 270_000 : 300_000);
    expect(considered(quote, 'PROMO-1')!.outcome).toBe(applies ? 'applied' : 'not_applicable');
  });
});

describe('resolvePrice: never above the list price unless the rule says so', () => {
  it('a higher special price is capped at the list price, and the explanation says so', () => {
    const quote = resolvePrice(request(), { ...NONE, specialPrices: [special({ amount: 320_000 })] });
    expect(quote.unitPrice).toBe(300_000);
    expect(quote.explanation.cappedAtListPrice).toBe(true);
    expect(considered(quote, 'SP-1')!.detail).toContain('capped at the list price');
    expect(quote.explanation.summary).toContain('capped');
  });

  it('a rule that allows it sets a price above the list price', () => {
    const quote = resolvePrice(request(), { ...NONE, priceLists: [channelList({ allowAboveListPrice: true, lines: [{ sku: PRODUCT.sku, amount: 330_000, minQuantity: 1 }] })] });
    expect(quote.unitPrice).toBe(330_000);
    expect(quote.discountPerUnit).toBe(-30_000);
    expect(quote.explanation.cappedAtListPrice).toBe(false);
  });
});

describe('resolvePrice: promotions on top of the base price', () => {
  it('a percentage comes off the winning price, rounded half-up to the fen', () => {
    // 250,005 × 0.9 = 225,004.5 → 225,005
    const quote = resolvePrice(request(), { ...NONE, specialPrices: [special({ amount: 250_005 })], promotions: [promotion()] });
    expect(quote.basePrice).toBe(250_005);
    expect(quote.unitPrice).toBe(225_005);
    expect(quote.explanation.promotion).toEqual({ id: 'PROMO-1', name: '618 大促', discountPerUnit: 25_000 });
    expect(quote.explanation.summary).toContain('618 大促');
  });

  it('the largest discount wins and promotions do not stack', () => {
    const quote = resolvePrice(request(), {
      ...NONE,
      promotions: [promotion(), promotion({ id: 'PROMO-2', name: '立减 ¥400', discount: { kind: 'amount', amount: 40_000, currency: 'CNY' } })],
    });
    expect(quote.unitPrice).toBe(260_000);
    expect(considered(quote, 'PROMO-1')).toMatchObject({ outcome: 'smaller_discount', discountPerUnit: 30_000 });
    expect(considered(quote, 'PROMO-2')).toMatchObject({ outcome: 'applied', discountPerUnit: 40_000 });
  });

  it('a fixed amount off never takes the price below zero', () => {
    const quote = resolvePrice(request(), { ...NONE, promotions: [promotion({ discount: { kind: 'amount', amount: 999_999, currency: 'CNY' } })] });
    expect(quote.unitPrice).toBe(0);
    expect(quote.lineGross).toBe(0);
  });

  it('scope by category, and restrictions by tier, channel, quantity and currency', () => {
    const byCategory = promotion({ id: 'CAT', skus: [], categories: ['AC'] });
    const otherCategory = promotion({ id: 'OTHER', skus: ['X-1'], categories: ['KITCHEN'] });
    const platinumOnly = promotion({ id: 'PLAT', tiers: ['platinum'] });
    const distributorsOnly = promotion({ id: 'DIST', channelTypes: ['distributor'] });
    const fromTen = promotion({ id: 'TEN', minQuantity: 10, discount: { kind: 'percent', basisPoints: 2000 } });
    const dollars = promotion({ id: 'USD', discount: { kind: 'amount', amount: 100, currency: 'USD' } });
    const quote = resolvePrice(request({ quantity: 9 }), { ...NONE, promotions: [byCategory, otherCategory, platinumOnly, distributorsOnly, fromTen, dollars] });
    expect(quote.explanation.promotion?.id).toBe('CAT');
    expect(considered(quote, 'OTHER')).toMatchObject({ reason: 'sku_not_in_scope' });
    expect(considered(quote, 'PLAT')).toMatchObject({ reason: 'tier_excluded' });
    expect(considered(quote, 'DIST')).toMatchObject({ reason: 'channel_excluded' });
    expect(considered(quote, 'TEN')).toMatchObject({ reason: 'below_min_quantity' });
    expect(considered(quote, 'USD')).toMatchObject({ reason: 'currency_mismatch' });
    expect(resolvePrice(request({ quantity: 10 }), { ...NONE, promotions: [byCategory, fromTen] }).explanation.promotion?.id).toBe('TEN');
  });
});

describe('resolvePrice: line amounts', () => {
  it('net = unit × quantity; VAT half-up per line; gross = net + VAT; the discount against the list price', () => {
    const quote = resolvePrice(request({ quantity: 3, product: { ...PRODUCT, vatRate: 900, listPrice: { amount: 1_235, currency: 'CNY' } } }), NONE);
    expect(quote.lineNet).toBe(3_705);
    expect(quote.vatAmount).toBe(333); // 333.45 → 333
    expect(quote.lineGross).toBe(4_038);
    const half = resolvePrice(request({ product: { ...PRODUCT, listPrice: { amount: 50, currency: 'CNY' } } }), NONE);
    expect(half.vatAmount).toBe(7); // 6.5 → 7
    const discounted = resolvePrice(request({ quantity: 2 }), { ...NONE, priceLists: [tierList()] });
    expect(discounted).toMatchObject({ listPrice: 300_000, discountPerUnit: 30_000, lineDiscount: 60_000, lineNet: 540_000, vatAmount: 70_200, lineGross: 610_200, currency: 'CNY' });
  });

  it('money helpers: half-up, exact beyond 2^53', () => {
    expect(mulDivHalfUp(5, 1, 2)).toBe(3);
    expect(mulDivHalfUp(4, 1, 2)).toBe(2);
    expect(vatOn(1_000_000_000 * 1_000_000, 1300)).toBe(130_000_000_000_000);
    expect(() => mulDivHalfUp(-1, 1, 1)).toThrow(RangeError);
  });

  it('business dates are Shanghai calendar dates; barcodes carry a GTIN check digit', () => {
    expect(businessDate(new Date('2026-06-14T16:30:00Z'))).toBe('2026-06-15');
    expect(businessDate(new Date('2026-06-14T15:59:59Z'))).toBe('2026-06-14');
    expect(isValidGtin('6901234567892')).toBe(true);
    expect(isValidGtin('6901234567893')).toBe(false);
    expect(isValidGtin(gtinWithCheckDigit('690123456789'))).toBe(true);
  });
});

// ── property: never negative, never above the list price unless a rule says so ──

const dateArb = fc.integer({ min: 0, max: 730 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const windowArb = fc.tuple(dateArb, fc.option(dateArb, { nil: undefined })).map(([a, b]) => (b === undefined ? { validFrom: a } : a <= b ? { validFrom: a, validTo: b } : { validFrom: b, validTo: a }));
const amountArb = fc.integer({ min: 0, max: 2_000_000 });
const skuArb = fc.constantFrom(PRODUCT.sku, 'OTHER-1');
const idArb = fc.string({ minLength: 1, maxLength: 6 });

const specialArb = fc.record({ id: idArb, dealerId: fc.constantFrom(DEALER.id, 'OTHER-DEALER'), sku: skuArb, amount: amountArb, allowAboveListPrice: fc.boolean(), window: windowArb }).map(({ window, ...s }) => special({ ...s, ...window, validTo: window.validTo }));
const listArb = fc
  .record({
    id: idArb,
    target: fc.oneof(fc.constantFrom(...DEALER_TIERS).map((tier) => ({ tier })), fc.constantFrom(...CHANNEL_TYPES).map((channelType) => ({ channelType }))),
    allowAboveListPrice: fc.boolean(),
    window: windowArb,
    lines: fc.array(fc.record({ sku: skuArb, amount: amountArb, minQuantity: fc.integer({ min: 1, max: 50 }) }), { maxLength: 4 }),
  })
  .map(({ target, window, ...l }) => ({ ...tierList({ ...l, ...window, validTo: window.validTo }), tier: undefined, channelType: undefined, ...target }) as PriceList);
const discountArb = fc.oneof(
  fc.integer({ min: 1, max: 10_000 }).map((basisPoints) => ({ kind: 'percent' as const, basisPoints })),
  fc.integer({ min: 1, max: 3_000_000 }).map((amount) => ({ kind: 'amount' as const, amount, currency: 'CNY' })),
);
const promotionArb = fc
  .record({
    id: idArb,
    discount: discountArb,
    skus: fc.subarray([PRODUCT.sku, 'OTHER-1']),
    categories: fc.subarray(['AC', 'KITCHEN']),
    tiers: fc.subarray([...DEALER_TIERS]),
    channelTypes: fc.subarray([...CHANNEL_TYPES]),
    minQuantity: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
    window: windowArb,
  })
  .map(({ window, ...p }) => promotion({ ...p, validFrom: window.validFrom, validTo: window.validTo ?? '2099-12-31' }));

describe('resolvePrice: properties', () => {
  it('the quoted price is never negative, and above the list price only when the winning rule allows it', () => {
    fc.assert(
      fc.property(
        fc.record({
          listPrice: amountArb,
          quantity: fc.integer({ min: 1, max: 100 }),
          date: dateArb,
          tier: fc.constantFrom(...DEALER_TIERS),
          channelType: fc.constantFrom(...CHANNEL_TYPES),
          specialPrices: fc.array(specialArb, { maxLength: 4 }),
          priceLists: fc.array(listArb, { maxLength: 5 }),
          promotions: fc.array(promotionArb, { maxLength: 4 }),
        }),
        ({ listPrice, quantity, date, tier, channelType, ...policies }) => {
          const quote = resolvePrice(
            request({ quantity, date, dealer: { ...DEALER, tier, channelType }, product: { ...PRODUCT, listPrice: { amount: listPrice, currency: 'CNY' } } }),
            policies,
          );
          expect(quote.unitPrice).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(quote.unitPrice)).toBe(true);
          expect(quote.unitPrice).toBeLessThanOrEqual(quote.basePrice);
          if (quote.unitPrice > listPrice) {
            // Only an explicit rule that allows it, never the list price itself or a promotion.
            const winner = quote.explanation.winner;
            expect(['special_price', 'channel_price_list', 'tier_price_list']).toContain(winner.kind);
            const allowing = winner.kind === 'special_price' ? policies.specialPrices : policies.priceLists;
            expect(allowing.some((rule) => rule.id === winner.id && rule.allowAboveListPrice)).toBe(true);
            expect(quote.explanation.cappedAtListPrice).toBe(false);
          }
          // Exactly one winning price rule, at most one applied promotion, every rule explained.
          expect(quote.explanation.considered.filter((r) => r.outcome === 'won')).toHaveLength(1);
          expect(quote.explanation.considered.filter((r) => r.outcome === 'applied').length).toBeLessThanOrEqual(1);
          expect(quote.explanation.considered).toHaveLength(policies.specialPrices.length + policies.priceLists.length + policies.promotions.length + 1);
          expect(quote.lineNet).toBe(quote.unitPrice * quantity);
          expect(quote.lineGross).toBe(quote.lineNet + quote.vatAmount);
        },
      ),
      { numRuns: 500 },
    );
  });
});
