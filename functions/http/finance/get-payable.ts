import { getPayable as read } from '../../adapters/dynamo/payable-store';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getPayable: Implementation<typeof financeContext, 'getPayable'> = async ({ principal, params }) => {
  const payable = await read(principal, params.payableId);
  return { body: payable, version: payable.version };
};
