import * as z from 'zod';
import { ALL_PERMISSIONS, type Permission } from '../../../domain/access/permissions';
import { ROLE_NAME_PATTERN } from '../../../domain/access/roles';
import { defineContext } from '../route';

const PermissionSchema = z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]]);
const ScopeSchema = z.enum(['all', 'region', 'dealer']);

export const RoleView = z.object({
  name: z.string(),
  description: z.string(),
  permissions: z.array(PermissionSchema),
  scope: ScopeSchema,
  builtIn: z.boolean(),
  version: z.number().int().optional(),
  updatedAt: z.string().optional(),
});

const RoleNameParams = z.strictObject({ roleName: z.string().regex(ROLE_NAME_PATTERN, 'a role name: lower snake case, 3–40 characters') });

export const NewRoleSchema = z.strictObject({
  name: z.string().regex(ROLE_NAME_PATTERN, 'lower snake case, 3–40 characters'),
  description: z.string().trim().min(1).max(200),
  permissions: z.array(PermissionSchema).min(1).max(ALL_PERMISSIONS.length),
  scope: ScopeSchema,
});

export const RoleChangesSchema = NewRoleSchema.omit({ name: true })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field to change');

export const accessContext = defineContext({
  name: 'access',
  resources: { mainTable: 'readwrite', idempotencyTable: true, eventBus: false },
  routes: [
    {
      operationId: 'getMe',
      method: 'GET',
      path: '/me',
      summary: 'Who am I: identity, roles, data scope and effective permissions',
      permission: 'profile:read',
      response: z.object({
        userId: z.string(),
        username: z.string(),
        roles: z.array(z.string()),
        dealerId: z.string().optional(),
        regions: z.array(z.string()),
        scope: ScopeSchema,
        permissions: z.array(PermissionSchema),
      }),
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'listPermissions',
      method: 'GET',
      path: '/permissions',
      summary: 'The permission set roles are built from',
      permission: 'roles:read',
      response: z.object({ items: z.array(z.object({ name: PermissionSchema, description: z.string() })) }),
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'listRoles',
      method: 'GET',
      path: '/roles',
      summary: 'Built-in and custom roles',
      permission: 'roles:read',
      response: z.object({ items: z.array(RoleView) }),
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'createRole',
      method: 'POST',
      path: '/roles',
      summary: 'Define a custom role from the permission set (assign it as a Cognito group of the same name)',
      permission: 'roles:manage',
      body: NewRoleSchema,
      response: RoleView,
      successStatus: 201,
      idempotent: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'getRole',
      method: 'GET',
      path: '/roles/{roleName}',
      summary: 'Read a role',
      permission: 'roles:read',
      params: RoleNameParams,
      response: RoleView,
      successStatus: 200,
      returnsETag: true,
      mutates: false,
    },
    {
      operationId: 'updateRole',
      method: 'PATCH',
      path: '/roles/{roleName}',
      summary: 'Change a custom role (built-in roles are fixed)',
      permission: 'roles:manage',
      params: RoleNameParams,
      body: RoleChangesSchema,
      response: RoleView,
      successStatus: 200,
      requiresIfMatch: true,
      returnsETag: true,
      mutates: true,
    },
    {
      operationId: 'deleteRole',
      method: 'DELETE',
      path: '/roles/{roleName}',
      summary: 'Delete a custom role; users holding it lose its permissions at once',
      permission: 'roles:manage',
      params: RoleNameParams,
      successStatus: 204,
      requiresIfMatch: true,
      mutates: true,
    },
  ],
});
