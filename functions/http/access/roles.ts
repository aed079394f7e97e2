import type { RoleDefinition } from '../../../domain/access/roles';
import { runtime } from '../../adapters/runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { accessContext } from './routes';

type Context = typeof accessContext;

function view(role: RoleDefinition & { version?: number; updatedAt?: string }) {
  return {
    name: role.name,
    description: role.description,
    permissions: [...role.permissions],
    scope: role.scope,
    builtIn: role.builtIn,
    ...(role.version !== undefined ? { version: role.version } : {}),
    ...(role.updatedAt ? { updatedAt: role.updatedAt } : {}),
  };
}

export const listRoles: Implementation<Context, 'listRoles'> = async () => ({
  body: { items: (await runtime().roles.list()).map(view) },
});

export const getRole: Implementation<Context, 'getRole'> = async ({ params }) => {
  const role = await runtime().roles.get(params.roleName);
  // Built-in roles are fixed in code; their ETag never changes.
  return { body: view(role), version: 'version' in role ? (role.version as number) : 1 };
};

export const createRole: Implementation<Context, 'createRole'> = async (input) => {
  const role = await runtime().roles.create(requestContext(input), input.body);
  return { body: view(role), version: role.version, headers: { location: `${input.baseUrl}/roles/${role.name}` } };
};

export const updateRole: Implementation<Context, 'updateRole'> = async (input) => {
  const role = await runtime().roles.update(requestContext(input), input.params.roleName, input.expectedVersion!, input.body);
  return { body: view(role), version: role.version };
};

export const deleteRole: Implementation<Context, 'deleteRole'> = async (input) => {
  await runtime().roles.delete(requestContext(input), input.params.roleName, input.expectedVersion!);
  return { body: undefined };
};
