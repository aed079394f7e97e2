import { dynamoIdempotencyStore } from '../../adapters/dynamo/idempotency-store';
import { runtime } from '../../adapters/runtime';
import { httpHandler } from '../../shared/http-handler';
import { powertoolsRunOnce } from '../../shared/idempotency';
import { getMe } from './get-me';
import { listPermissions } from './list-permissions';
import { createRole, deleteRole, getRole, listRoles, updateRole } from './roles';
import { accessContext } from './routes';

export const handler = httpHandler(accessContext, { getMe, listPermissions, listRoles, createRole, getRole, updateRole, deleteRole }, {
  roles: () => runtime().roles,
  runOnce: powertoolsRunOnce(dynamoIdempotencyStore),
});
