import { limitRequestService } from '../../adapters/credit-runtime';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const getCreditLimitRequest: Implementation<typeof dealersContext, 'getCreditLimitRequest'> = async ({ principal, params }) => {
  const request = await limitRequestService().get(principal, params.dealerId, params.requestId);
  return { body: request, version: request.version };
};
