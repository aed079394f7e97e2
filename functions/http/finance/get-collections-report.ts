import { collections } from '../../adapters/dynamo/finance-reports-store';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getCollectionsReport: Implementation<typeof financeContext, 'getCollectionsReport'> = async ({ principal, query }) => ({
  body: await collections(principal, query),
});
