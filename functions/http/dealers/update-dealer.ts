import { redactDealer } from '../../../domain/dealers/dealer-service';
import { runtime } from '../../adapters/runtime';
import { publishEvents, requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const updateDealer: Implementation<typeof dealersContext, 'updateDealer'> = async (input) => {
  const ctx = requestContext(input);
  const { dealer, events } = await runtime().dealers.update(ctx, input.params.dealerId, input.expectedVersion!, input.body);
  await publishEvents(ctx, events);
  return { body: redactDealer(input.principal, dealer), version: dealer.version };
};
