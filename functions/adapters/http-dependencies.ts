import type { HttpDependencies } from '../shared/http-handler';
import { powertoolsRunOnce } from '../shared/idempotency';
import { dynamoIdempotencyStore } from './dynamo/idempotency-store';
import { runtime } from './runtime';

/**
 * Roles from the table (custom roles) plus Powertools idempotency on the idempotency table, for
 * contexts with creating POSTs. Read-only contexts pass only `roles` and so bundle no idempotency.
 */
export const writeContextDependencies: HttpDependencies = {
  roles: () => runtime().roles,
  runOnce: powertoolsRunOnce(dynamoIdempotencyStore),
};
