import type { AuditEntry } from '../audit/audit-entry';
import type { Dealer, DealerTier, ChannelType } from '../dealers/dealer';
import type { Page } from '../dealers/ports';
import type { PriceList, Promotion, SpecialPrice } from './price-policy';
import type { Product, ProductStatus } from './product';

export type { Page };

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/**
 * Port: product lookups other contexts (inventory, orders) rely on. `getMany` is one batched
 * read; unknown SKUs are simply absent from its result.
 */
export interface ProductReader {
  get(sku: string): Promise<Product | undefined>;
  getMany(skus: string[]): Promise<Product[]>;
}

export interface ProductListFilter {
  category?: string;
  status?: ProductStatus;
  /** Chinese name prefix, or English name prefix when it is plain ASCII (case-insensitive). */
  namePrefix?: string;
}

/** Port: product persistence. Every write carries its audit entry into the same transaction. */
export interface ProductRepository extends ProductReader {
  /** Throws ConflictError `sku_taken` when the SKU exists. */
  create(product: Product, audit: AuditEntry): Promise<void>;
  /** Replaces the product if its stored version is still `expectedVersion`; else VersionMismatchError. */
  replace(product: Product, expectedVersion: number, audit: AuditEntry): Promise<void>;
  list(filter: ProductListFilter, page: PageRequest): Promise<Page<Product>>;
}

/** Shared shape of the price policy stores: conditional writes, each with its audit entry. */
export interface PolicyRepository<T> {
  get(id: string): Promise<T | undefined>;
  create(item: T, audit: AuditEntry): Promise<void>;
  replace(item: T, expectedVersion: number, audit: AuditEntry): Promise<void>;
  delete(id: string, expectedVersion: number, audit: AuditEntry): Promise<void>;
}

export interface PriceListFilter {
  tier?: DealerTier;
  channelType?: ChannelType;
  /** Only lists valid on this business date. */
  activeOn?: string;
}

export interface PriceListRepository extends PolicyRepository<PriceList> {
  list(filter: PriceListFilter, page: PageRequest): Promise<Page<PriceList>>;
  /** Tier lists of `tier` and channel lists of `channelType` not ended before `date`. */
  candidatesFor(tier: DealerTier, channelType: ChannelType, date: string): Promise<PriceList[]>;
}

export interface SpecialPriceFilter {
  dealerId?: string;
  sku?: string;
}

export interface SpecialPriceRepository extends PolicyRepository<SpecialPrice> {
  list(filter: SpecialPriceFilter, page: PageRequest): Promise<Page<SpecialPrice>>;
  /** The dealer's special prices for the SKU not ended before `date`. */
  candidatesFor(dealerId: string, sku: string, date: string): Promise<SpecialPrice[]>;
}

export interface PromotionFilter {
  activeOn?: string;
}

export interface PromotionRepository extends PolicyRepository<Promotion> {
  list(filter: PromotionFilter, page: PageRequest): Promise<Page<Promotion>>;
  /** Promotions not ended before `date` (running or upcoming). */
  candidatesFor(date: string): Promise<Promotion[]>;
}

/** Port: the dealers prices are quoted for (the dealer repository). */
export interface DealerLookup {
  get(id: string): Promise<Dealer | undefined>;
}
