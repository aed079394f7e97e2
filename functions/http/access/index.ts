import { writeContextDependencies } from '../../adapters/http-dependencies';
import { httpHandler } from '../../shared/http-handler';
import { getMe } from './get-me';
import { listPermissions } from './list-permissions';
import { createRole, deleteRole, getRole, listRoles, updateRole } from './roles';
import { accessContext } from './routes';

export const handler = httpHandler(accessContext, { getMe, listPermissions, listRoles, createRole, getRole, updateRole, deleteRole }, writeContextDependencies);
