import { redactDealer } from '../../../domain/dealers/dealer-service';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const getDealer: Implementation<typeof dealersContext, 'getDealer'> = async ({ principal, params }) => {
  const dealer = await runtime().dealers.get(principal, params.dealerId);
  return { body: redactDealer(principal, dealer), version: dealer.version };
};
