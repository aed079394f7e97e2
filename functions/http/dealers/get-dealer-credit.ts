import { creditService } from '../../adapters/dynamo/credit-repository';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const getDealerCredit: Implementation<typeof dealersContext, 'getDealerCredit'> = async ({ principal, params }) => {
  const view = await creditService().get(principal, params.dealerId, runtime().now());
  return { body: view, version: view.version };
};
