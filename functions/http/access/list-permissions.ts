import { PERMISSIONS, type Permission } from '../../../domain/access/permissions';
import type { Implementation } from '../route';
import type { accessContext } from './routes';

export const listPermissions: Implementation<typeof accessContext, 'listPermissions'> = async () => ({
  body: { items: Object.entries(PERMISSIONS).map(([name, description]) => ({ name: name as Permission, description })) },
});
