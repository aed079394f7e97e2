import { finance } from '../../adapters/finance-runtime';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getReceivableAging: Implementation<typeof financeContext, 'getReceivableAging'> = async ({ principal, query }) => ({
  body: await finance().aging(principal, query, runtime().now()),
});
