import { finance } from '../../adapters/finance-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const postDealerAccountEntry: Implementation<typeof financeContext, 'postDealerAccountEntry'> = async (input) => ({
  body: await finance().postEntry(requestContext(input), input.params.dealerId, input.body),
});
