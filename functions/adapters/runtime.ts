import { monotonicFactory } from 'ulid';
import { RoleService } from '../../domain/access/role-service';
import type { AuditLogReader } from '../../domain/audit/audit-entry';
import { DealerService } from '../../domain/dealers/dealer-service';
import type { RegionRepository } from '../../domain/dealers/ports';
import type { EventPublisher } from '../../events/registry';
import { auditLogReader } from './dynamo/audit-log';
import { dealerRepository, regionRepository } from './dynamo/dealer-repository';
import { roleRepository } from './dynamo/role-repository';
import { EventBridgePublisher } from './events/eventbridge-publisher';

/**
 * The composition root: which adapter implements each port. On AWS everything comes from the
 * environment; the twin swaps in what has no AWS counterpart running locally (the event bus)
 * through `configureRuntime` before it serves requests.
 */
export interface Runtime {
  dealers: DealerService;
  regions: RegionRepository;
  roles: RoleService;
  auditLog: AuditLogReader;
  publisher: EventPublisher;
  now: () => Date;
  newId: () => string;
}

let overrides: Partial<Pick<Runtime, 'publisher' | 'now'>> = {};
let current: Runtime | undefined;

export function configureRuntime(options: Partial<Pick<Runtime, 'publisher' | 'now'>>): void {
  overrides = { ...overrides, ...options };
  current = undefined;
}

/**
 * Built on first use and kept for the life of the execution environment. The event publisher is
 * created lazily, so a context that never publishes never constructs its client.
 */
export function runtime(): Runtime {
  if (current) return current;
  const ulid = monotonicFactory();
  let publisher: EventPublisher | undefined = overrides.publisher;
  const roles = new RoleService(roleRepository);
  const dealers = new DealerService(dealerRepository);
  current = {
    dealers,
    regions: regionRepository,
    roles,
    auditLog: auditLogReader,
    get publisher() {
      publisher ??= new EventBridgePublisher();
      return publisher;
    },
    now: overrides.now ?? (() => new Date()),
    newId: () => ulid(),
  };
  return current;
}
