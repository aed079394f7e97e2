import type { CustomRole, RoleRepository } from '../../../domain/access/role-service';
import type { Permission } from '../../../domain/access/permissions';
import { ConflictError, VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { dms } from './service';
import { conditionFailed, writeTransaction } from './transaction';

function toRole(item: { name: string; description: string; permissions: string[]; scope: CustomRole['scope']; createdAt: string; updatedAt: string; version: number }): CustomRole {
  return { ...item, permissions: item.permissions as Permission[], builtIn: false };
}

function toItem(role: CustomRole) {
  const { builtIn: _builtIn, ...item } = role;
  return { ...item, permissions: [...role.permissions] };
}

export const roleRepository: RoleRepository = {
  async get(name) {
    const result = await dms().entities.role.get({ name }).go();
    return result.data ? toRole(result.data) : undefined;
  },

  async list() {
    const result = await dms().entities.role.query.all({}).go({ pages: 'all' });
    return result.data.map(toRole);
  },

  async create(role, audit) {
    await writeTransaction(
      ({ role: roles, audit: auditRecords }) => [roles.create(toItem(role)).commit(), auditRecords.create(auditItem(audit)).commit()],
      (reasons) => (conditionFailed(reasons, 0) ? new ConflictError('role_exists', `Role ${role.name} already exists.`) : undefined),
    );
  },

  async replace(role, expectedVersion, audit) {
    await writeTransaction(
      ({ role: roles, audit: auditRecords }) => [
        roles.put(toItem(role)).where((attr, op) => op.eq(attr.version, expectedVersion)).commit(),
        auditRecords.create(auditItem(audit)).commit(),
      ],
      (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError('Role', role.name) : undefined),
    );
  },

  async delete(name, expectedVersion, audit) {
    await writeTransaction(
      ({ role: roles, audit: auditRecords }) => [
        roles.delete({ name }).where((attr, op) => op.eq(attr.version, expectedVersion)).commit(),
        auditRecords.create(auditItem(audit)).commit(),
      ],
      (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError('Role', name) : undefined),
    );
  },
};
