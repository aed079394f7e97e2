import { listScope } from '../access/object-scope';
import type { Principal } from '../access/principal';
import { auditEntry, type RequestContext } from '../audit/audit-entry';
import type { Page } from '../dealers/ports';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, VersionMismatchError } from '../shared/errors';
import { isDealerLocation, type Location, type LocationKind, type LocationReader } from './location';
import type { LocationListFilter, LocationRepository } from './ports';
import type { LocationChanges, NewLocation } from './schemas';
import { withoutEmpty } from '../shared/objects';

/** What the location rules need to know about a dealer. */
export interface DealerLookup {
  get(id: string): Promise<{ id: string; region: string; status: string } | undefined>;
}

/**
 * Object-level rule for locations: dealer principals see only their dealer's locations;
 * region-scoped staff see every enterprise warehouse (they sell from them) and the dealer
 * locations of their regions; headquarters staff see everything.
 */
export function canSeeLocation(principal: Principal, location: Location): boolean {
  switch (principal.scope) {
    case 'all':
      return true;
    case 'region':
      return !location.dealerId || principal.regions.includes(location.region);
    case 'dealer':
      return principal.dealerId !== undefined && principal.dealerId === location.dealerId;
  }
}

/** Enterprise warehouses are managed by headquarters staff only; dealers manage their own locations. */
function assertMayManage(principal: Principal, location: Pick<Location, 'kind' | 'code'>): void {
  if (!isDealerLocation(location as Location) && principal.scope !== 'all') {
    throw new ForbiddenError('Only headquarters staff (warehouse, admin) manage enterprise warehouses.', 'warehouse_forbidden');
  }
}

const ENTITY = 'location';

export class LocationService {
  constructor(
    private readonly locations: LocationReader & LocationRepository,
    private readonly dealers: DealerLookup,
  ) {}

  async create(ctx: RequestContext, input: NewLocation): Promise<Location> {
    const { principal } = ctx;
    const at = ctx.now.toISOString();
    let region: string;
    let dealerId: string | undefined;
    if (input.kind === 'warehouse') {
      assertMayManage(principal, input);
      if (input.dealerId) throw new ValidationError('A warehouse belongs to no dealer.', [{ path: 'dealerId', message: 'not allowed for a warehouse' }]);
      if (!input.region) throw new ValidationError('A warehouse needs a region.', [{ path: 'region', message: 'required for a warehouse' }]);
      region = input.region;
    } else {
      dealerId = input.dealerId ?? (principal.scope === 'dealer' ? principal.dealerId : undefined);
      if (!dealerId) throw new ValidationError('A dealer location needs its dealer.', [{ path: 'dealerId', message: 'required for a dealer location' }]);
      const dealer = await this.dealers.get(dealerId);
      if (!dealer || !seesDealer(principal, dealer)) throw new NotFoundError('Dealer', dealerId);
      if (input.region && input.region !== dealer.region) {
        throw new ValidationError('A dealer location is in its dealer’s region.', [{ path: 'region', message: `must be ${dealer.region} (the dealer’s region) or omitted` }]);
      }
      region = dealer.region;
    }
    const location: Location = withoutEmpty({
      code: input.code,
      name: input.name,
      kind: input.kind,
      dealerId,
      region,
      province: input.province,
      city: input.city,
      street: input.street,
      status: 'active',
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    await this.locations.create(location, auditEntry(ctx, 'location.created', { type: ENTITY, id: location.code }, undefined, location));
    return location;
  }

  /** The location if this principal may see it; otherwise NotFound, whether or not it exists. */
  async get(principal: Principal, code: string): Promise<Location> {
    const location = await this.locations.get(code);
    if (!location || !canSeeLocation(principal, location)) throw new NotFoundError('Location', code);
    return location;
  }

  async update(ctx: RequestContext, code: string, expectedVersion: number, changes: LocationChanges): Promise<Location> {
    const current = await this.get(ctx.principal, code);
    assertMayManage(ctx.principal, current);
    if (current.version !== expectedVersion) throw new VersionMismatchError('Location', code);
    if (changes.region !== undefined && changes.region !== current.region && isDealerLocation(current)) {
      throw new ConflictError('region_follows_dealer', 'A dealer location’s region follows its dealer; change the dealer’s region instead.');
    }
    const next = withoutEmpty({ ...current, ...changes, updatedAt: ctx.now.toISOString(), version: current.version + 1 }) as Location;
    await this.locations.replace(next, expectedVersion, auditEntry(ctx, 'location.updated', { type: ENTITY, id: code }, current, next));
    return next;
  }

  async list(
    principal: Principal,
    filter: { kind?: LocationKind; dealerId?: string; region?: string; status?: Location['status'] },
    page: { limit: number; cursor?: string },
  ): Promise<Page<Location>> {
    const scope = listScope(principal);
    const query: LocationListFilter = { ...filter };
    if (scope.kind === 'dealer') {
      // A dealer principal lists its own locations and nothing else, whatever it asks for.
      if (!scope.dealerId || (filter.dealerId && filter.dealerId !== scope.dealerId)) return { items: [] };
      query.dealerId = scope.dealerId;
    } else if (scope.kind === 'regions') {
      if (filter.region && !scope.regions.includes(filter.region)) query.enterpriseOnly = true;
      else if (!filter.region) query.visibleRegions = scope.regions;
    }
    return this.locations.list(query, page);
  }
}

function seesDealer(principal: Principal, dealer: { id: string; region: string }): boolean {
  switch (principal.scope) {
    case 'all':
      return true;
    case 'region':
      return principal.regions.includes(dealer.region);
    case 'dealer':
      return principal.dealerId === dealer.id;
  }
}
