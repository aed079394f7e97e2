import { finance } from '../../adapters/finance-runtime';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getPayment: Implementation<typeof financeContext, 'getPayment'> = async ({ principal, params }) => {
  const payment = await finance().getPayment(principal, params.paymentId);
  return { body: payment, version: payment.version };
};
