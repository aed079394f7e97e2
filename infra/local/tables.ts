import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_TABLE, MAIN_TABLE } from '../../functions/adapters/dynamo/table-schema';

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

function mainTableInput(name: string): CreateTableCommandInput {
  const attributes = new Set<string>([MAIN_TABLE.partitionKey, MAIN_TABLE.sortKey]);
  MAIN_TABLE.globalIndexes.forEach((index) => (attributes.add(index.partitionKey), attributes.add(index.sortKey)));
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: MAIN_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: MAIN_TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: MAIN_TABLE.globalIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

async function ensureTable(client: DynamoDBClient, input: CreateTableCommandInput, ttlAttribute: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(input));
  await client.send(new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }));
  return true;
}

/** Creates the main and idempotency tables (same shape as the CDK data stack) if missing. */
export async function ensureTables(endpoint: string, names: { main: string; idempotency: string }): Promise<{ created: boolean }> {
  const client = localClient(endpoint);
  try {
    const created = await ensureTable(client, mainTableInput(names.main), MAIN_TABLE.timeToLiveAttribute);
    await ensureTable(
      client,
      {
        TableName: names.idempotency,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, KeyType: 'HASH' }],
      },
      IDEMPOTENCY_TABLE.timeToLiveAttribute,
    );
    return { created };
  } finally {
    client.destroy();
  }
}
