import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from './table-schema';
import { tracer } from '../../shared/observability';

/**
 * Counts DynamoDB operations by name. The benchmark reads it to report calls per request;
 * it costs one increment per call in production.
 */
export const dynamoCallCounter = {
  counts: new Map<string, number>(),
  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  },
  reset(): void {
    this.counts.clear();
  },
};

let rawClient: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

/** One client per execution environment (re-used across invocations), traced by X-Ray on AWS. */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (documentClient) return documentClient;
  const endpoint = process.env[ENV.dynamoEndpoint];
  const client = new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 5,
        }
      : { maxAttempts: 5 },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      dynamoCallCounter.counts.set(name, (dynamoCallCounter.counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'dmsCallCounter' },
  );
  tracer.captureAWSv3Client(client);
  rawClient = client;
  documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documentClient;
}

/** The low-level client under the document client (the idempotency layer wants one). */
export function dynamoClient(): DynamoDBClient {
  dynamoDocumentClient();
  return rawClient!;
}

export function mainTableName(): string {
  const name = process.env[ENV.tableName];
  if (!name) throw new Error(`${ENV.tableName} is not set`);
  return name;
}
