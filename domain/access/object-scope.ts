import type { Principal } from './principal';

/** The part of a dealer-owned object that decides who may see it. */
export interface DealerOwned {
  dealerId: string;
  region: string;
}

/**
 * Object-level rule: may this principal see this dealer-owned object at all? Callers answer
 * `false` with 404 (not 403), so a dealer cannot probe for other dealers' ids.
 */
export function canSee(principal: Principal, object: DealerOwned): boolean {
  switch (principal.scope) {
    case 'all':
      return true;
    case 'region':
      return principal.regions.includes(object.region);
    case 'dealer':
      return principal.dealerId !== undefined && principal.dealerId === object.dealerId;
  }
}

/** The restriction a list query must apply for this principal; lists never widen it. */
export type ListScope = { kind: 'all' } | { kind: 'regions'; regions: string[] } | { kind: 'dealer'; dealerId: string | null };

export function listScope(principal: Principal): ListScope {
  switch (principal.scope) {
    case 'all':
      return { kind: 'all' };
    case 'region':
      return { kind: 'regions', regions: principal.regions };
    case 'dealer':
      return { kind: 'dealer', dealerId: principal.dealerId ?? null };
  }
}
