import { configureRuntime } from '../../functions/adapters/runtime';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import { LocalEventBus } from './event-bus';
import type { LocalSigner } from './jwt';
import { startLocalServer, type LocalServerOptions } from './http-server';
import { ensureTables } from './tables';

export interface TwinOptions {
  dynamoEndpoint: string;
  tables: { main: string; idempotency: string };
  signer: LocalSigner;
  port?: number;
  host?: string;
  onRequest?: LocalServerOptions['onRequest'];
}

export interface Twin {
  url: string;
  bus: LocalEventBus;
  signer: LocalSigner;
  close(): Promise<void>;
}

/**
 * Points the very handlers that run on Lambda at the local engines (DynamoDB Local, the
 * in-process bus) and serves them over HTTP. Used by `npm start` and by the integration tests.
 */
export async function startTwin(options: TwinOptions): Promise<Twin> {
  process.env[ENV.dynamoEndpoint] = options.dynamoEndpoint;
  process.env[ENV.tableName] = options.tables.main;
  process.env[ENV.idempotencyTableName] = options.tables.idempotency;
  process.env[ENV.enterpriseTimeZone] ??= 'Asia/Shanghai';
  process.env.AWS_REGION ??= 'local';
  await ensureTables(options.dynamoEndpoint, options.tables);
  const bus = new LocalEventBus();
  configureRuntime({ publisher: bus });
  const server = await startLocalServer({
    signer: options.signer,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
  return { url: server.url, bus, signer: options.signer, close: () => server.close() };
}
