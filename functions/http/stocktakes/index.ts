import { dynamoIdempotencyStore } from '../../adapters/dynamo/idempotency-store';
import { runtime } from '../../adapters/runtime';
import { httpHandler } from '../../shared/http-handler';
import { powertoolsRunOnce } from '../../shared/idempotency';
import { stocktakesContext } from './routes';

export const handler = httpHandler(stocktakesContext, {}, {
  roles: () => runtime().roles,
  runOnce: powertoolsRunOnce(dynamoIdempotencyStore),
});
