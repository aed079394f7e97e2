import { createPayable as create } from '../../adapters/dynamo/payable-store';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const createPayable: Implementation<typeof financeContext, 'createPayable'> = async (input) => {
  const payable = await create(requestContext(input), input.body);
  return { body: payable, version: payable.version, headers: { location: `${input.baseUrl}/payables/${payable.id}` } };
};
