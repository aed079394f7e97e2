import { writeContextDependencies } from '../../adapters/http-dependencies';
import { httpHandler } from '../../shared/http-handler';
import { createPriceList } from './create-price-list';
import { createProduct } from './create-product';
import { createPromotion } from './create-promotion';
import { createSpecialPrice } from './create-special-price';
import { deletePriceList } from './delete-price-list';
import { deletePromotion } from './delete-promotion';
import { deleteSpecialPrice } from './delete-special-price';
import { getPriceList } from './get-price-list';
import { getProduct } from './get-product';
import { getPromotion } from './get-promotion';
import { getSpecialPrice } from './get-special-price';
import { listCategories } from './list-categories';
import { listPriceLists } from './list-price-lists';
import { listProducts } from './list-products';
import { listPromotions } from './list-promotions';
import { listSpecialPrices } from './list-special-prices';
import { quotePrice } from './quote-price';
import { catalogContext } from './routes';
import { updatePriceList } from './update-price-list';
import { updateProduct } from './update-product';
import { updatePromotion } from './update-promotion';
import { updateSpecialPrice } from './update-special-price';

export const handler = httpHandler(catalogContext, {
  listCategories,
  createProduct,
  listProducts,
  getProduct,
  updateProduct,
  createPriceList,
  listPriceLists,
  getPriceList,
  updatePriceList,
  deletePriceList,
  createSpecialPrice,
  listSpecialPrices,
  getSpecialPrice,
  updateSpecialPrice,
  deleteSpecialPrice,
  createPromotion,
  listPromotions,
  getPromotion,
  updatePromotion,
  deletePromotion,
  quotePrice,
}, writeContextDependencies);
