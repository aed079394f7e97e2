import { voidInvoice as voidIt } from '../../adapters/dynamo/invoice-store';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const voidInvoice: Implementation<typeof financeContext, 'voidInvoice'> = async (input) => ({
  body: (await voidIt(requestContext(input), input.params.number, input.body.reason)) as never,
});
