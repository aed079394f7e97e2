import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const createPriceList: Implementation<typeof catalogContext, 'createPriceList'> = async (input) => {
  const list = await catalogRuntime().pricing.createPriceList(requestContext(input), input.body);
  return { body: list, version: list.version, headers: { location: `${input.baseUrl}/price-lists/${list.id}` } };
};
