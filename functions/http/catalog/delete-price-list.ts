import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const deletePriceList: Implementation<typeof catalogContext, 'deletePriceList'> = async (input) => {
  await catalogRuntime().pricing.deletePriceList(requestContext(input), input.params.priceListId, input.expectedVersion!);
  return { body: undefined };
};
