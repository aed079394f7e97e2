import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const quotePrice: Implementation<typeof catalogContext, 'quotePrice'> = async (input) => ({
  body: await catalogRuntime().pricing.quote(requestContext(input), input.query),
});
