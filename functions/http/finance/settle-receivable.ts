import { finance } from '../../adapters/finance-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const settleReceivable: Implementation<typeof financeContext, 'settleReceivable'> = async (input) => {
  const receivable = await finance().settle(requestContext(input), input.params.receivableId, input.body);
  return { body: receivable, version: receivable.version };
};
