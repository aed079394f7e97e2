import { dynamoIdempotencyStore } from '../../adapters/dynamo/idempotency-store';
import { runtime } from '../../adapters/runtime';
import { httpHandler } from '../../shared/http-handler';
import { powertoolsRunOnce } from '../../shared/idempotency';
import { channelContext } from './routes';

export const handler = httpHandler(channelContext, {}, {
  roles: () => runtime().roles,
  runOnce: powertoolsRunOnce(dynamoIdempotencyStore),
});
