import { canSee, listScope } from '../access/object-scope';
import { hasPermission, type Principal } from '../access/principal';
import { auditEntry, type RequestContext } from '../audit/audit-entry';
import { ConflictError, ForbiddenError, NotFoundError, VersionMismatchError } from '../shared/errors';
import type { DomainEvent } from '../../events/registry';
import {
  INTERNAL_DEALER_FIELDS,
  allowedTransitions,
  canTransition,
  nameSearchKey,
  type Contact,
  type Dealer,
  type DealerChanges,
  type NewDealer,
  type StatusChange,
} from './dealer';
import type { DealerListFilter, DealerRepository, Page } from './ports';
import { withoutEmpty } from '../shared/objects';

export interface DealerResult {
  dealer: Dealer;
  events: DomainEvent[];
}

const ENTITY = 'dealer';

/** Property-level rule: who may see internal fields sees all of a dealer; others see it redacted. */
export function redactDealer(principal: Principal, dealer: Dealer): Dealer {
  if (hasPermission(principal, 'dealers:read_internal')) return dealer;
  const visible = { ...dealer };
  for (const field of INTERNAL_DEALER_FIELDS) delete visible[field];
  return visible;
}

function assertMayWriteInternal(principal: Principal, input: object): void {
  const touched = INTERNAL_DEALER_FIELDS.filter((f) => f in input);
  if (touched.length > 0 && !hasPermission(principal, 'dealers:read_internal')) {
    throw new ForbiddenError(`You may not set internal fields: ${touched.join(', ')}.`, 'internal_field_forbidden');
  }
}

function assertRegionInScope(principal: Principal, region: string): void {
  if (principal.scope === 'region' && !principal.regions.includes(region)) {
    throw new ForbiddenError(`Region ${region} is outside your regions (${principal.regions.join(', ')}).`, 'region_out_of_scope');
  }
}

export class DealerService {
  constructor(private readonly dealers: DealerRepository) {}

  async register(ctx: RequestContext, input: NewDealer): Promise<DealerResult> {
    assertMayWriteInternal(ctx.principal, input);
    assertRegionInScope(ctx.principal, input.region);
    const at = ctx.now.toISOString();
    const dealer: Dealer = {
      ...withoutEmpty(input),
      id: ctx.newId(),
      status: 'prospect',
      statusChangedAt: at,
      createdAt: at,
      createdBy: ctx.principal.userId,
      updatedAt: at,
      version: 1,
    };
    await this.dealers.create(dealer, auditEntry(ctx, 'dealer.created', { type: ENTITY, id: dealer.id }, undefined, dealer));
    return {
      dealer,
      events: [
        {
          type: 'dealer.created.v1',
          detail: {
            dealerId: dealer.id,
            code: dealer.code,
            name: dealer.name,
            tier: dealer.tier,
            channelType: dealer.channelType,
            region: dealer.region,
            status: dealer.status,
          },
        },
      ],
    };
  }

  /** The dealer if this principal may see it; otherwise NotFound, whether or not it exists. */
  async get(principal: Principal, id: string): Promise<Dealer> {
    const dealer = await this.dealers.get(id);
    if (!dealer || !canSee(principal, { dealerId: dealer.id, region: dealer.region })) throw new NotFoundError('Dealer', id);
    return dealer;
  }

  async list(principal: Principal, filter: DealerListFilter & { region?: string }, page: { limit: number; cursor?: string }): Promise<Page<Dealer>> {
    const scope = listScope(principal);
    const { region, ...rest } = filter;
    if (scope.kind === 'dealer') {
      // A dealer principal's list is at most its own dealer, filters applied.
      if (!scope.dealerId) return { items: [] };
      const own = await this.dealers.get(scope.dealerId);
      return { items: own && matches(own, filter) ? [own] : [] };
    }
    let regions: string[] | undefined;
    if (scope.kind === 'regions') regions = region ? scope.regions.filter((r) => r === region) : scope.regions;
    else if (region) regions = [region];
    if (regions && regions.length === 0) return { items: [] };
    return this.dealers.list({ ...rest, regions }, page);
  }

  async update(ctx: RequestContext, id: string, expectedVersion: number, changes: DealerChanges): Promise<DealerResult> {
    assertMayWriteInternal(ctx.principal, changes);
    const current = await this.getForWrite(ctx.principal, id, expectedVersion);
    if (changes.region !== undefined) assertRegionInScope(ctx.principal, changes.region);
    const next = this.nextVersion(ctx, { ...current, ...changes } as Dealer);
    await this.dealers.replace(next, expectedVersion, auditEntry(ctx, 'dealer.updated', { type: ENTITY, id }, current, next));
    return { dealer: next, events: [] };
  }

  async replaceContacts(ctx: RequestContext, id: string, expectedVersion: number, contacts: Contact[]): Promise<DealerResult> {
    const current = await this.getForWrite(ctx.principal, id, expectedVersion);
    const next = this.nextVersion(ctx, { ...current, contacts });
    await this.dealers.replace(next, expectedVersion, auditEntry(ctx, 'dealer.contacts_replaced', { type: ENTITY, id }, current, next));
    return { dealer: next, events: [] };
  }

  async changeStatus(ctx: RequestContext, id: string, expectedVersion: number, change: StatusChange): Promise<DealerResult> {
    const current = await this.getForWrite(ctx.principal, id, expectedVersion);
    if (!canTransition(current.status, change.status)) {
      const allowed = allowedTransitions(current.status);
      throw new ConflictError(
        'invalid_status_transition',
        `A ${current.status} dealer cannot become ${change.status}` +
          (allowed.length ? `; allowed: ${allowed.join(', ')}.` : '; terminated is final.'),
      );
    }
    const next = this.nextVersion(ctx, {
      ...current,
      status: change.status,
      statusReason: change.reason,
      statusChangedAt: ctx.now.toISOString(),
    });
    await this.dealers.replace(next, expectedVersion, auditEntry(ctx, 'dealer.status_changed', { type: ENTITY, id }, current, next));
    return {
      dealer: next,
      events: [
        {
          type: 'dealer.status_changed.v1',
          detail: { dealerId: id, code: current.code, region: current.region, from: current.status, to: change.status, reason: change.reason },
        },
      ],
    };
  }

  /**
   * Loads the dealer for a change. The version check here gives a fast 412; the conditional
   * write in the repository is what actually guarantees it under concurrency.
   */
  private async getForWrite(principal: Principal, id: string, expectedVersion: number): Promise<Dealer> {
    const current = await this.get(principal, id);
    if (current.version !== expectedVersion) {
      throw new VersionMismatchError('Dealer', id);
    }
    return current;
  }

  private nextVersion(ctx: RequestContext, merged: Dealer): Dealer {
    return withoutEmpty({ ...merged, updatedAt: ctx.now.toISOString(), version: merged.version + 1 });
  }
}

function matches(dealer: Dealer, filter: DealerListFilter & { region?: string }): boolean {
  return (
    (!filter.region || dealer.region === filter.region) &&
    (!filter.tier || dealer.tier === filter.tier) &&
    (!filter.channelType || dealer.channelType === filter.channelType) &&
    (!filter.status || dealer.status === filter.status) &&
    (!filter.namePrefix || nameSearchKey(dealer.name).startsWith(nameSearchKey(filter.namePrefix)))
  );
}

