import { creditService } from '../../adapters/dynamo/credit-repository';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const updateDealerCredit: Implementation<typeof dealersContext, 'updateDealerCredit'> = async (input) => {
  const view = await creditService().update(requestContext(input), input.params.dealerId, input.expectedVersion!, input.body);
  return { body: view, version: view.version };
};
