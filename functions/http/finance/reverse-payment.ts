import { finance } from '../../adapters/finance-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const reversePayment: Implementation<typeof financeContext, 'reversePayment'> = async (input) => {
  const payment = await finance().reversePayment(requestContext(input), input.params.paymentId, input.body.reason);
  return { body: payment, version: payment.version };
};
