import { creditEvaluationService } from '../../adapters/credit-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const evaluateDealerCredit: Implementation<typeof dealersContext, 'evaluateDealerCredit'> = async (input) => {
  const { evaluation, limitRequest } = await creditEvaluationService().evaluateOnDemand(requestContext(input), input.params.dealerId);
  return { body: { ...evaluation, ...(limitRequest ? { limitRequest } : {}) } };
};
