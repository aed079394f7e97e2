import type { AuditEntry } from '../../../domain/audit/audit-entry';
import { ConflictError, VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { conditionFailed, writeTransaction } from './transaction';

/** The catalog entities written through these helpers (all keyed by one attribute). */
export type CatalogEntityName = 'product' | 'priceList' | 'specialPrice' | 'promotion';

interface Committable {
  commit(): unknown;
}
interface Conditional {
  where(build: (attr: Record<string, unknown>, op: { eq(a: unknown, v: unknown): string }) => string): Committable;
}
/** The slice of an ElectroDB entity's transaction API these writes use. */
interface WritableEntity {
  create(item: object): Committable;
  put(item: object): Conditional;
  delete(key: object): Conditional;
}

type Entities = Record<CatalogEntityName | 'audit', unknown>;
const entity = (entities: Entities, name: CatalogEntityName) => entities[name] as WritableEntity;
const audited = (entities: Entities, audit: AuditEntry) => (entities.audit as WritableEntity).create(auditItem(audit)).commit();

/** Creates the item (attribute_not_exists on its key) and its audit record in one transaction. */
export async function createAudited(name: CatalogEntityName, item: object, audit: AuditEntry, taken?: () => ConflictError): Promise<void> {
  await writeTransaction(
    (entities) => [entity(entities as Entities, name).create(item).commit(), audited(entities as Entities, audit)] as never,
    (reasons) => (conditionFailed(reasons, 0) && taken ? taken() : undefined),
  );
}

/** Replaces the item if its stored version is still `expectedVersion`, with its audit record. */
export async function replaceAudited(name: CatalogEntityName, item: object, expectedVersion: number, audit: AuditEntry, label: string): Promise<void> {
  await writeTransaction(
    (entities) =>
      [
        entity(entities as Entities, name)
          .put(item)
          .where((attr, op) => op.eq(attr.version, expectedVersion))
          .commit(),
        audited(entities as Entities, audit),
      ] as never,
    (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError(label, audit.entityId) : undefined),
  );
}

/** Deletes the item if its stored version is still `expectedVersion`, with its audit record. */
export async function deleteAudited(name: CatalogEntityName, key: object, expectedVersion: number, audit: AuditEntry, label: string): Promise<void> {
  await writeTransaction(
    (entities) =>
      [
        entity(entities as Entities, name)
          .delete(key)
          .where((attr, op) => op.eq(attr.version, expectedVersion))
          .commit(),
        audited(entities as Entities, audit),
      ] as never,
    (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError(label, audit.entityId) : undefined),
  );
}
