import { resolve } from 'node:path';

/** Where the twin keeps its state: `.data/` in the repository, or DMS_DATA_DIR. */
export function dataDir(): string {
  return resolve(process.env.DMS_DATA_DIR ?? '.data');
}

export const localPaths = {
  dynamo: () => resolve(dataDir(), 'dynamodb'),
  jwtKey: () => resolve(dataDir(), 'dev-jwt-key.json'),
};

export const LOCAL_TABLES = { main: 'dms-main', idempotency: 'dms-idempotency' };
