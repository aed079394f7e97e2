import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const updatePriceList: Implementation<typeof catalogContext, 'updatePriceList'> = async (input) => {
  const list = await catalogRuntime().pricing.updatePriceList(requestContext(input), input.params.priceListId, input.expectedVersion!, input.body);
  return { body: list, version: list.version };
};
