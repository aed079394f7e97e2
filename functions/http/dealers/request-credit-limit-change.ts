import { limitRequestService } from '../../adapters/credit-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const requestCreditLimitChange: Implementation<typeof dealersContext, 'requestCreditLimitChange'> = async (input) => {
  const request = await limitRequestService().request(requestContext(input), input.params.dealerId, input.body);
  return { body: request, version: request.version };
};
