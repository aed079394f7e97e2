import { getCreditNote as read } from '../../adapters/dynamo/invoice-store';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getCreditNote: Implementation<typeof financeContext, 'getCreditNote'> = async ({ principal, params }) => ({
  body: (await read(principal, params.number)) as never,
});
