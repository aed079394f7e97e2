import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { dynamoClient } from './client';
import { ENV } from './table-schema';

let store: DynamoDBPersistenceLayer | undefined;

/** The idempotency table through Powertools' DynamoDB persistence layer, created on first use. */
export function dynamoIdempotencyStore(): DynamoDBPersistenceLayer {
  store ??= new DynamoDBPersistenceLayer({ tableName: process.env[ENV.idempotencyTableName] ?? '', awsSdkV3Client: dynamoClient() });
  return store;
}
