import { limitRequestService } from '../../adapters/credit-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const decideCreditLimitRequest: Implementation<typeof dealersContext, 'decideCreditLimitRequest'> = async (input) => {
  const request = await limitRequestService().decide(requestContext(input), input.params.dealerId, input.params.requestId, input.body);
  return { body: request, version: request.version };
};
