import type { ProductReader } from '../../domain/catalog/ports';
import { PricingService } from '../../domain/catalog/pricing-service';
import { ProductService } from '../../domain/catalog/product-service';
import { priceListRepository, promotionRepository, specialPriceRepository } from './dynamo/catalog-price-repositories';
import { productRepository } from './dynamo/catalog-product-repository';
import { dealerRepository } from './dynamo/dealer-repository';
import { ENV } from './dynamo/table-schema';

/**
 * Composition of the catalog context: products and price policies over the single table,
 * dealers through the dealer repository. Built on first use, kept for the execution environment.
 */
export interface CatalogRuntime {
  products: ProductService;
  pricing: PricingService;
}

let current: CatalogRuntime | undefined;

export function catalogRuntime(): CatalogRuntime {
  current ??= {
    products: new ProductService(productRepository),
    pricing: new PricingService({
      priceLists: priceListRepository,
      specialPrices: specialPriceRepository,
      promotions: promotionRepository,
      products: productRepository,
      dealers: dealerRepository,
      timeZone: process.env[ENV.enterpriseTimeZone] ?? 'Asia/Shanghai',
    }),
  };
  return current;
}

/** Product lookups for other contexts (inventory, orders): `get(sku)` and batched `getMany(skus)`. */
export const productReader: ProductReader = productRepository;
