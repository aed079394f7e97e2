/**
 * The physical shape of the tables, read by the CDK data stack and by the local twin (which
 * creates the same tables in DynamoDB Local). Entities map their access patterns onto these
 * generic indexes in functions/adapters/dynamo/entities/.
 */
export const MAIN_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
  timeToLiveAttribute: 'expiresAt',
} as const;

/** Layout expected by the Powertools idempotency DynamoDB persistence layer (its defaults). */
export const IDEMPOTENCY_TABLE = {
  partitionKey: 'id',
  timeToLiveAttribute: 'expiration',
} as const;

/** Environment variables through which deployed functions (and the twin) learn resource names. */
export const ENV = {
  tableName: 'TABLE_NAME',
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  enterpriseTimeZone: 'ENTERPRISE_TIME_ZONE',
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
} as const;
