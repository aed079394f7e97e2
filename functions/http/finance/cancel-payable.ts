import { cancel } from '../../adapters/dynamo/payable-store';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const cancelPayable: Implementation<typeof financeContext, 'cancelPayable'> = async (input) => {
  const payable = await cancel(requestContext(input), input.params.payableId, input.expectedVersion, input.body.reason);
  return { body: payable, version: payable.version };
};
