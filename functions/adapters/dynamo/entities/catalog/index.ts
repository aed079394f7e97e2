import { PriceListEntity } from './price-list';
import { ProductEntity } from './product';
import { PromotionEntity } from './promotion';
import { SpecialPriceEntity } from './special-price';

/** The catalog context's ElectroDB entities, joined into the single-table service (../../service.ts). */
export const catalogEntities = {
  product: ProductEntity,
  priceList: PriceListEntity,
  specialPrice: SpecialPriceEntity,
  promotion: PromotionEntity,
};
