import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { CLAIMS } from '../../functions/shared/identity';

/**
 * The twin's stand-in for Cognito: tokens with the same claims (`cognito:groups`,
 * `custom:dealerId`, `custom:regions`), signed by a local ES256 key kept in the data folder.
 */
export const LOCAL_ISSUER = 'https://dms.local/issuer';
export const LOCAL_AUDIENCE = 'dms-local';

export interface TokenRequest {
  userId: string;
  username?: string;
  roles: string[];
  dealerId?: string;
  regions?: string[];
  /** Seconds; default 12 hours. */
  expiresIn?: number;
}

export interface LocalSigner {
  sign(request: TokenRequest): Promise<string>;
  verify(token: string): Promise<JWTPayload>;
}

async function createSigner(privateKey: CryptoKey, publicKey: CryptoKey, kid: string): Promise<LocalSigner> {
  return {
    async sign(request) {
      const now = Math.floor(Date.now() / 1000);
      const claims: JWTPayload = {
        [CLAIMS.username]: request.username ?? request.userId,
        [CLAIMS.groups]: request.roles,
        token_use: 'id',
      };
      if (request.dealerId) claims[CLAIMS.dealerId] = request.dealerId;
      if (request.regions?.length) claims[CLAIMS.regions] = request.regions.join(',');
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(request.userId)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + (request.expiresIn ?? 12 * 3600))
        .sign(privateKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['ES256'] });
      return payload;
    },
  };
}

/** A signer with a fresh in-memory key (tests). */
export async function ephemeralSigner(): Promise<LocalSigner> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return createSigner(privateKey, publicKey, 'ephemeral');
}

/** The signer whose key lives at `keyFile`, created on first use so tokens survive restarts. */
export async function persistentSigner(keyFile: string): Promise<LocalSigner> {
  if (!existsSync(keyFile)) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify({ ...jwk, kid: `dms-local-${Date.now()}` }), { mode: 0o600 });
  }
  const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK & { kid: string };
  const privateKey = (await importJWK(jwk, 'ES256')) as CryptoKey;
  const { d: _d, ...publicJwk } = jwk;
  const publicKey = (await importJWK(publicJwk, 'ES256')) as CryptoKey;
  return createSigner(privateKey, publicKey, jwk.kid);
}
