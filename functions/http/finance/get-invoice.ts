import { getInvoice as read } from '../../adapters/dynamo/invoice-store';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getInvoice: Implementation<typeof financeContext, 'getInvoice'> = async ({ principal, params }) => ({
  body: (await read(principal, params.number)) as never,
});
