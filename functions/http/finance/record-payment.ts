import { finance } from '../../adapters/finance-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

/** A replay (same bank reference, same content) answers like the first request: 201, the same body. */
export const recordPayment: Implementation<typeof financeContext, 'recordPayment'> = async (input) => {
  const { payment } = await finance().recordPayment(requestContext(input), input.body);
  return { body: payment, version: payment.version, headers: { location: `${input.baseUrl}/payments/${payment.id}` } };
};
