import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Narrow grants written out instead of `table.grantReadData` and friends, which add `Scan`,
 * `index/*` and `kms:GenerateDataKey*` wildcards. Every request-path read is a key lookup or a
 * Query (DESIGN §3), so no function is ever allowed to Scan.
 */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
] as const;

/** Transactions need no action of their own: DynamoDB authorizes each item operation inside them. */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

const KMS_DECRYPT_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
const KMS_ENCRYPT_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey'] as const;

export type TableAccess = 'read' | 'readwrite';

export interface EncryptedTable {
  table: dynamodb.ITable;
  /** The customer-managed key the table is encrypted with. */
  key: kms.IKey;
  /** GSI names a reader may query; granted one by one, never as `index/*`. */
  indexNames?: readonly string[];
}

export function grantTableAccess(role: iam.IRole, target: EncryptedTable, access: TableAccess): void {
  const tableArn = target.table.tableArn;
  const resources = [tableArn, ...(target.indexNames ?? []).map((name) => `${tableArn}/index/${name}`)];
  const actions: string[] = [...TABLE_READ_ACTIONS];
  if (access === 'readwrite') actions.push(...TABLE_WRITE_ACTIONS);
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));

  const kmsActions: string[] = [...KMS_DECRYPT_ACTIONS];
  if (access === 'readwrite') kmsActions.push(...KMS_ENCRYPT_ACTIONS);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: kmsActions,
      resources: [target.key.keyArn],
      // The key is usable only through DynamoDB, never directly by the function.
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(role).region}.${Stack.of(role).urlSuffix}` } },
    }),
  );
}

export function grantPutEvents(role: iam.IRole, bus: events.IEventBus): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }));
}

export interface EncryptedBucket {
  bucket: s3.IBucket;
  /** The customer-managed key of the bucket's default encryption. */
  key: kms.IKey;
}

export type BucketAccess = 'read' | 'write';

/**
 * Objects only, never ListBucket or Delete: writers put documents under keys they compute, readers
 * sign download links for keys the order already names. `read` is what a presigned GET URL needs:
 * S3 checks the signer's s3:GetObject and kms:Decrypt when the link is used.
 */
export function grantBucketAccess(role: iam.IRole, target: EncryptedBucket, access: BucketAccess): void {
  const write = access === 'write';
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [write ? 's3:PutObject' : 's3:GetObject'], resources: [target.bucket.arnForObjects('*')] }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      // PutObject with SSE-KMS needs a data key; multipart uploads (and S3 reusing a bucket key)
      // also decrypt. Decrypt through S3 reads nothing without s3:GetObject, which writers lack.
      actions: write ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
      resources: [target.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(role).region}.${Stack.of(role).urlSuffix}` } },
    }),
  );
}
