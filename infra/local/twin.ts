import { configureRuntime } from '../../functions/adapters/runtime';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import { LocalEventBus } from './event-bus';
import type { LocalSigner } from './jwt';
import { startLocalServer, type LocalServerOptions } from './http-server';
import { ensureTables } from './tables';
import { configureOrdersRuntime } from '../../functions/adapters/orders-runtime';
import { DOCUMENT_STORE_ENV } from '../../functions/adapters/documents/document-store-factory';
import { LocalApprovalWorkflow } from './local-approval-workflow';
import { WorkflowRunner, type StartOptions } from './workflow-runner';
import { resumeOrderWorkflows } from './resume-workflows';
import { startLocalScheduler } from './scheduler';

export interface TwinOptions {
  dynamoEndpoint: string;
  tables: { main: string; idempotency: string };
  signer: LocalSigner;
  port?: number;
  host?: string;
  onRequest?: LocalServerOptions['onRequest'];
  /** Where generated documents are stored (`<dir>/s3/documents/…`). @default DMS_DATA_DIR or .data */
  documentsDir?: string;
  /** Start options per workflow (tests shorten callback timeouts and retry pauses). */
  workflowDefaults?: Record<string, StartOptions>;
  /** Fire the schedule table's crons in process (`npm start` only: test twins never fire them). */
  schedules?: boolean;
}

export interface Twin {
  url: string;
  bus: LocalEventBus;
  signer: LocalSigner;
  /** The twin's Step Functions: the registry's workflows run in process. */
  workflows: WorkflowRunner;
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
  if (options.documentsDir) process.env[DOCUMENT_STORE_ENV.dir] = options.documentsDir;
  const workflows = new WorkflowRunner({ startDefaults: options.workflowDefaults });
  configureOrdersRuntime({ workflow: new LocalApprovalWorkflow(workflows) });
  const server = await startLocalServer({
    signer: options.signer,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
  // Signed document links point at this server (its port is only known now).
  process.env[DOCUMENT_STORE_ENV.baseUrl] = server.url;
  // Executions live in memory: orders a previous run left waiting get theirs again.
  await resumeOrderWorkflows(workflows);
  const scheduler = options.schedules ? startLocalScheduler() : undefined;
  return {
    url: server.url,
    bus,
    signer: options.signer,
    workflows,
    close: () => {
      scheduler?.stop();
      return server.close();
    },
  };
}
