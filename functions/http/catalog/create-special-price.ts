import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const createSpecialPrice: Implementation<typeof catalogContext, 'createSpecialPrice'> = async (input) => {
  const special = await catalogRuntime().pricing.createSpecialPrice(requestContext(input), input.body);
  return { body: special, version: special.version, headers: { location: `${input.baseUrl}/special-prices/${special.id}` } };
};
