import { redactDealer } from '../../../domain/dealers/dealer-service';
import { runtime } from '../../adapters/runtime';
import { publishEvents, requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const createDealer: Implementation<typeof dealersContext, 'createDealer'> = async (input) => {
  const ctx = requestContext(input);
  const { dealer, events } = await runtime().dealers.register(ctx, input.body);
  await publishEvents(ctx, events);
  return {
    body: redactDealer(input.principal, dealer),
    version: dealer.version,
    headers: { location: `${input.baseUrl}/dealers/${dealer.id}` },
  };
};
