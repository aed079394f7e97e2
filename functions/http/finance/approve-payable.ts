import { approve } from '../../adapters/dynamo/payable-store';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const approvePayable: Implementation<typeof financeContext, 'approvePayable'> = async (input) => {
  const payable = await approve(requestContext(input), input.params.payableId, input.expectedVersion);
  return { body: payable, version: payable.version };
};
