import { canSee, listScope } from '../access/object-scope';
import type { Principal } from '../access/principal';
import { auditEntry, type RequestContext } from '../audit/audit-entry';
import type { Dealer } from '../dealers/dealer';
import { NotFoundError, ValidationError, VersionMismatchError } from '../shared/errors';
import { businessDate } from '../shared/business-date';
import type {
  DealerLookup,
  Page,
  PageRequest,
  PolicyRepository,
  PriceListFilter,
  PriceListRepository,
  ProductReader,
  PromotionFilter,
  PromotionRepository,
  SpecialPriceFilter,
  SpecialPriceRepository,
} from './ports';
import type {
  NewPriceList,
  NewPromotion,
  NewSpecialPrice,
  PriceList,
  PriceListChanges,
  Promotion,
  PromotionChanges,
  SpecialPrice,
  SpecialPriceChanges,
} from './price-policy';
import { hasPromotionScope } from './price-policy';
import { orderQuantityProblems } from './product';
import { withoutEmpty } from '../shared/objects';
import { resolvePrice, type PriceQuote } from './resolve-price';

export interface QuoteRequest {
  dealerId: string;
  sku: string;
  quantity: number;
  /** Business date; defaults to today in the enterprise time zone. */
  date?: string;
}

export interface Quote extends PriceQuote {
  /** Facts an order would trip over (minimum quantity, multiple, discontinued, dealer status). */
  warnings: { code: string; message: string }[];
}

interface Versioned {
  id: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/**
 * Price policy maintenance and quotes. Price lists and promotions are enterprise-wide data
 * (readable with prices:read); special prices belong to a dealer and follow its object-level
 * scope, exactly like the dealer itself: out of scope means "does not exist".
 */
export class PricingService {
  constructor(
    private readonly deps: {
      priceLists: PriceListRepository;
      specialPrices: SpecialPriceRepository;
      promotions: PromotionRepository;
      products: ProductReader;
      dealers: DealerLookup;
      timeZone: string;
    },
  ) {}

  // ── quotes ────────────────────────────────────────────────────────────────

  async quote(ctx: Pick<RequestContext, 'principal' | 'now'>, request: QuoteRequest): Promise<Quote> {
    const date = request.date ?? businessDate(ctx.now, this.deps.timeZone);
    // The dealer-independent reads run alongside the dealer read; nothing leaves before the scope check.
    const [dealer, product, specialPrices, promotions] = await Promise.all([
      this.deps.dealers.get(request.dealerId),
      this.deps.products.get(request.sku),
      this.deps.specialPrices.candidatesFor(request.dealerId, request.sku, date),
      this.deps.promotions.candidatesFor(date),
    ]);
    const visible = this.visibleDealer(ctx.principal, dealer, request.dealerId);
    if (!product) throw new NotFoundError('Product', request.sku);
    const priceLists = await this.deps.priceLists.candidatesFor(visible.tier, visible.channelType, date);
    const quote = resolvePrice({ dealer: visible, product, quantity: request.quantity, date }, { specialPrices, priceLists, promotions });
    const warnings = orderQuantityProblems(product, request.quantity);
    if (product.status !== 'active') warnings.push({ code: 'product_discontinued', message: `${product.sku} is discontinued and cannot be ordered.` });
    if (visible.status !== 'active') warnings.push({ code: 'dealer_not_active', message: `The dealer is ${visible.status}; it cannot order.` });
    return { ...quote, warnings };
  }

  // ── price lists ───────────────────────────────────────────────────────────

  async createPriceList(ctx: RequestContext, input: NewPriceList): Promise<PriceList> {
    await this.assertSkusExist(input.lines.map((l) => l.sku), 'lines');
    const list = withoutEmpty({ ...input, id: ctx.newId(), lines: sortLines(input.lines), ...this.stamp(ctx) }) as PriceList;
    await this.deps.priceLists.create(list, auditEntry(ctx, 'price_list.created', { type: 'price_list', id: list.id }, undefined, list));
    return list;
  }

  getPriceList(id: string): Promise<PriceList> {
    return this.found(this.deps.priceLists, 'PriceList', id);
  }

  listPriceLists(filter: PriceListFilter, page: PageRequest): Promise<Page<PriceList>> {
    return this.deps.priceLists.list(filter, page);
  }

  async updatePriceList(ctx: RequestContext, id: string, expectedVersion: number, changes: PriceListChanges): Promise<PriceList> {
    const current = await this.forWrite(this.deps.priceLists, 'PriceList', id, expectedVersion);
    if (changes.lines) await this.assertSkusExist(changes.lines.map((l) => l.sku), 'lines');
    const next = this.next(ctx, current, { ...changes, ...(changes.lines ? { lines: sortLines(changes.lines) } : {}) });
    assertWindow(next);
    await this.deps.priceLists.replace(next, expectedVersion, auditEntry(ctx, 'price_list.updated', { type: 'price_list', id }, current, next));
    return next;
  }

  async deletePriceList(ctx: RequestContext, id: string, expectedVersion: number): Promise<void> {
    const current = await this.forWrite(this.deps.priceLists, 'PriceList', id, expectedVersion);
    await this.deps.priceLists.delete(id, expectedVersion, auditEntry(ctx, 'price_list.deleted', { type: 'price_list', id }, current, undefined));
  }

  // ── special prices (dealer-owned) ─────────────────────────────────────────

  async createSpecialPrice(ctx: RequestContext, input: NewSpecialPrice): Promise<SpecialPrice> {
    this.visibleDealer(ctx.principal, await this.deps.dealers.get(input.dealerId), input.dealerId);
    await this.assertSkusExist([input.sku], 'sku');
    const special = withoutEmpty({ ...input, id: ctx.newId(), ...this.stamp(ctx) }) as SpecialPrice;
    await this.deps.specialPrices.create(special, auditEntry(ctx, 'special_price.created', { type: 'special_price', id: special.id }, undefined, special));
    return special;
  }

  async getSpecialPrice(principal: Principal, id: string): Promise<SpecialPrice> {
    const special = await this.deps.specialPrices.get(id);
    if (!special || !(await this.maySeeDealer(principal, special.dealerId))) throw new NotFoundError('SpecialPrice', id);
    return special;
  }

  /**
   * Staff with all data see every special price; region-scoped staff only those of dealers in
   * their regions (checked per page, so a page may hold fewer than `limit` items); dealer
   * principals only their own.
   */
  async listSpecialPrices(principal: Principal, filter: SpecialPriceFilter, page: PageRequest): Promise<Page<SpecialPrice>> {
    const scope = listScope(principal);
    if (scope.kind === 'dealer') {
      if (!scope.dealerId || (filter.dealerId && filter.dealerId !== scope.dealerId)) return { items: [] };
      return this.deps.specialPrices.list({ ...filter, dealerId: scope.dealerId }, page);
    }
    if (scope.kind === 'all') return this.deps.specialPrices.list(filter, page);
    if (filter.dealerId && !(await this.maySeeDealer(principal, filter.dealerId))) return { items: [] };
    const result = await this.deps.specialPrices.list(filter, page);
    const dealerIds = [...new Set(result.items.map((s) => s.dealerId))];
    const visible = new Set<string>();
    await Promise.all(dealerIds.map(async (id) => (await this.maySeeDealer(principal, id)) && visible.add(id)));
    return { ...result, items: result.items.filter((s) => visible.has(s.dealerId)) };
  }

  async updateSpecialPrice(ctx: RequestContext, id: string, expectedVersion: number, changes: SpecialPriceChanges): Promise<SpecialPrice> {
    const current = await this.getSpecialPrice(ctx.principal, id);
    if (current.version !== expectedVersion) throw new VersionMismatchError('SpecialPrice', id);
    const next = this.next(ctx, current, changes);
    assertWindow(next);
    await this.deps.specialPrices.replace(next, expectedVersion, auditEntry(ctx, 'special_price.updated', { type: 'special_price', id }, current, next));
    return next;
  }

  async deleteSpecialPrice(ctx: RequestContext, id: string, expectedVersion: number): Promise<void> {
    const current = await this.getSpecialPrice(ctx.principal, id);
    if (current.version !== expectedVersion) throw new VersionMismatchError('SpecialPrice', id);
    await this.deps.specialPrices.delete(id, expectedVersion, auditEntry(ctx, 'special_price.deleted', { type: 'special_price', id }, current, undefined));
  }

  // ── promotions ────────────────────────────────────────────────────────────

  async createPromotion(ctx: RequestContext, input: NewPromotion): Promise<Promotion> {
    await this.assertSkusExist(input.skus, 'skus');
    const promotion = withoutEmpty({ ...input, id: ctx.newId(), ...this.stamp(ctx) }) as Promotion;
    await this.deps.promotions.create(promotion, auditEntry(ctx, 'promotion.created', { type: 'promotion', id: promotion.id }, undefined, promotion));
    return promotion;
  }

  getPromotion(id: string): Promise<Promotion> {
    return this.found(this.deps.promotions, 'Promotion', id);
  }

  listPromotions(filter: PromotionFilter, page: PageRequest): Promise<Page<Promotion>> {
    return this.deps.promotions.list(filter, page);
  }

  async updatePromotion(ctx: RequestContext, id: string, expectedVersion: number, changes: PromotionChanges): Promise<Promotion> {
    const current = await this.forWrite(this.deps.promotions, 'Promotion', id, expectedVersion);
    if (changes.skus) await this.assertSkusExist(changes.skus, 'skus');
    const next = this.next(ctx, current, changes);
    assertWindow(next);
    if (!hasPromotionScope(next)) throw new ValidationError('A promotion names at least one SKU or category.', [{ path: 'body/skus', message: 'name at least one SKU or category' }]);
    await this.deps.promotions.replace(next, expectedVersion, auditEntry(ctx, 'promotion.updated', { type: 'promotion', id }, current, next));
    return next;
  }

  async deletePromotion(ctx: RequestContext, id: string, expectedVersion: number): Promise<void> {
    const current = await this.forWrite(this.deps.promotions, 'Promotion', id, expectedVersion);
    await this.deps.promotions.delete(id, expectedVersion, auditEntry(ctx, 'promotion.deleted', { type: 'promotion', id }, current, undefined));
  }

  // ── helpers ───────────────────────────────────────────────────────────────

  /** The dealer if the principal may see it; otherwise NotFound, whether or not it exists. */
  private visibleDealer(principal: Principal, dealer: Dealer | undefined, id: string): Dealer {
    if (!dealer || !canSee(principal, { dealerId: dealer.id, region: dealer.region })) throw new NotFoundError('Dealer', id);
    return dealer;
  }

  private async maySeeDealer(principal: Principal, dealerId: string): Promise<boolean> {
    if (principal.scope === 'all') return true;
    if (principal.scope === 'dealer') return principal.dealerId === dealerId;
    const dealer = await this.deps.dealers.get(dealerId);
    return dealer !== undefined && canSee(principal, { dealerId: dealer.id, region: dealer.region });
  }

  /** Prices for SKUs that do not exist are refused (products are never deleted, only discontinued). */
  private async assertSkusExist(skus: string[], field: string): Promise<void> {
    const wanted = [...new Set(skus)];
    if (wanted.length === 0) return;
    const found = new Set((await this.deps.products.getMany(wanted)).map((p) => p.sku));
    const unknown = wanted.filter((sku) => !found.has(sku));
    if (unknown.length > 0) {
      throw new ValidationError(
        `Unknown SKU(s): ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ', …' : ''}.`,
        unknown.slice(0, 50).map((sku) => ({ path: `body/${field}`, message: `unknown SKU ${sku}`, code: 'unknown_sku' })),
        'unknown_sku',
      );
    }
  }

  private stamp(ctx: RequestContext) {
    const at = ctx.now.toISOString();
    return { createdAt: at, createdBy: ctx.principal.userId, updatedAt: at, version: 1 };
  }

  private next<T extends Versioned>(ctx: RequestContext, current: T, changes: object): T {
    return withoutEmpty({ ...current, ...changes, updatedAt: ctx.now.toISOString(), version: current.version + 1 }) as T;
  }

  private async found<T>(repository: PolicyRepository<T>, entity: string, id: string): Promise<T> {
    const item = await repository.get(id);
    if (!item) throw new NotFoundError(entity, id);
    return item;
  }

  /** The version check here gives a fast 412; the conditional write guarantees it under concurrency. */
  private async forWrite<T extends Versioned>(repository: PolicyRepository<T>, entity: string, id: string, expectedVersion: number): Promise<T> {
    const current = await this.found(repository, entity, id);
    if (current.version !== expectedVersion) throw new VersionMismatchError(entity, id);
    return current;
  }
}

function sortLines<T extends { sku: string; minQuantity: number }>(lines: T[]): T[] {
  return [...lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.minQuantity - b.minQuantity));
}

/** A partial change can move one end of the window past the other. */
function assertWindow(rule: { validFrom: string; validTo?: string }): void {
  if (rule.validTo !== undefined && rule.validTo < rule.validFrom) {
    throw new ValidationError('validTo must not be before validFrom.', [{ path: 'body/validTo', message: `before validFrom ${rule.validFrom}` }]);
  }
}
