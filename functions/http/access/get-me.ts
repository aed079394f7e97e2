import type { Implementation } from '../route';
import type { accessContext } from './routes';

export const getMe: Implementation<typeof accessContext, 'getMe'> = async ({ principal }) => ({
  body: {
    userId: principal.userId,
    username: principal.username,
    roles: principal.roles,
    ...(principal.dealerId ? { dealerId: principal.dealerId } : {}),
    regions: principal.regions,
    scope: principal.scope,
    permissions: [...principal.permissions].sort(),
  },
});
