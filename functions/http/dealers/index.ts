import { dynamoIdempotencyStore } from '../../adapters/dynamo/idempotency-store';
import { runtime } from '../../adapters/runtime';
import { httpHandler } from '../../shared/http-handler';
import { powertoolsRunOnce } from '../../shared/idempotency';
import { changeDealerStatus } from './change-dealer-status';
import { createDealer } from './create-dealer';
import { getDealer } from './get-dealer';
import { listDealers } from './list-dealers';
import { listRegions } from './list-regions';
import { replaceDealerContacts } from './replace-dealer-contacts';
import { dealersContext } from './routes';
import { updateDealer } from './update-dealer';

export const handler = httpHandler(dealersContext, {
  listRegions,
  createDealer,
  listDealers,
  getDealer,
  updateDealer,
  replaceDealerContacts,
  changeDealerStatus,
}, {
  roles: () => runtime().roles,
  runOnce: powertoolsRunOnce(dynamoIdempotencyStore),
});
