import type { Identity } from '../../domain/access/principal';
import { UnauthenticatedError } from '../../domain/shared/errors';

/**
 * Claims as the API Gateway HTTP API JWT authorizer passes them: every value a string, arrays
 * flattened to `[a b c]`. The twin's server produces the same shape, so this is the only parser.
 */
export type JwtClaims = Record<string, string | number | boolean | string[] | undefined>;

export const CLAIMS = {
  groups: 'cognito:groups',
  username: 'cognito:username',
  dealerId: 'custom:dealerId',
  regions: 'custom:regions',
} as const;

function listClaim(value: JwtClaims[string]): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter(Boolean);
}

export function identityFromClaims(claims: JwtClaims | undefined): Identity {
  const sub = claims?.sub;
  if (!claims || typeof sub !== 'string' || sub.length === 0) throw new UnauthenticatedError();
  const identity: Identity = {
    userId: sub,
    username: String(claims[CLAIMS.username] ?? claims.username ?? sub),
    roles: listClaim(claims[CLAIMS.groups]),
    regions: listClaim(claims[CLAIMS.regions]),
  };
  const dealerId = claims[CLAIMS.dealerId];
  if (typeof dealerId === 'string' && dealerId.length > 0) identity.dealerId = dealerId;
  return identity;
}

/** How API Gateway renders claims to the integration: strings, arrays as `[a b]`. */
export function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    flat[key] = Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return flat;
}
