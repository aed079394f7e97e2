import { finance } from '../../adapters/finance-runtime';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getDealerAccount: Implementation<typeof financeContext, 'getDealerAccount'> = async ({ principal, params }) => ({
  body: await finance().account(principal, params.dealerId),
});
