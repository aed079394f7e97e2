import { settle } from '../../adapters/dynamo/payable-store';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const settlePayable: Implementation<typeof financeContext, 'settlePayable'> = async (input) => {
  const payable = await settle(requestContext(input), input.params.payableId, input.expectedVersion, input.body);
  return { body: payable, version: payable.version };
};
