import { finance } from '../../adapters/finance-runtime';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getReceivable: Implementation<typeof financeContext, 'getReceivable'> = async ({ principal, params }) => {
  const receivable = await finance().getReceivable(principal, params.receivableId, runtime().now());
  return { body: receivable, version: receivable.version };
};
