import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import { IDEMPOTENCY_TABLE, MAIN_TABLE } from '../../functions/adapters/dynamo/table-schema';
import type { EncryptedBucket, EncryptedTable } from '../constructs/data-access';

export const EVENT_BUS_NAME = 'dms-events';

/** Claims the API reads from the ID token; set by administrators, never by the user (see the app client). */
export const CUSTOM_ATTRIBUTES = {
  /** The dealer a dealer principal belongs to. */
  dealerId: 'dealerId',
  /** Comma-separated region codes of a region-scoped staff member. */
  regions: 'regions',
} as const;

/**
 * The stateful stack: everything holding data or identities. Retained on delete and protected
 * against accidental replacement; the stateless stacks can be destroyed and redeployed freely.
 */
export class DataStack extends Stack {
  readonly dataKey: kms.Key;
  readonly mainTable: dynamodb.Table;
  readonly idempotencyTable: dynamodb.Table;
  readonly eventBus: events.EventBus;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** Generated invoices (PDF, UBL XML, JSON) and shipping notes, under invoices/ and shipping-notes/. */
  readonly documentsBucket: s3.Bucket;
  readonly documentsKey: kms.Key;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'DMS operational data (DynamoDB tables)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.mainTable = new dynamodb.Table(this, 'MainTable', {
      partitionKey: { name: MAIN_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: MAIN_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      timeToLiveAttribute: MAIN_TABLE.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of MAIN_TABLE.globalIndexes) {
      this.mainTable.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    // Records live for a day (see functions/shared/http-handler.ts) and are recreated on demand, so the table
    // is not retained; it still holds response bodies with dealer data, hence the same key.
    this.idempotencyTable = new dynamodb.Table(this, 'IdempotencyTable', {
      partitionKey: { name: IDEMPOTENCY_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      timeToLiveAttribute: IDEMPOTENCY_TABLE.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName: EVENT_BUS_NAME,
      description: 'DMS domain events (detail-type like order.approved.v1)',
    });
    // Lets a new consumer or a fixed one replay past events instead of asking producers to resend.
    this.eventBus.archive('EventArchive', {
      description: 'Every DMS domain event, for replay',
      eventPattern: { account: [Stack.of(this).account] },
      retention: Duration.days(365),
    });

    // Server access logs of the documents bucket: who downloaded which invoice, kept a year.
    // S3-managed encryption because log delivery cannot write with a customer-managed key.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(365), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.accessLogsBucket, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the access-log target of the documents bucket; logging its own access would log the log deliveries recursively.',
      },
    ]);

    // Its own key rather than DataKey: the key policy and CloudTrail then show document access
    // separately from table access, and the key can be shared with an archive without the tables.
    this.documentsKey = new kms.Key(this, 'DocumentsKey', {
      description: 'DMS generated documents (invoices, shipping notes)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Invoices are accounting records: versioned (an overwrite keeps the earlier version), retained
    // when the stack goes, never public; downloads go through presigned URLs only.
    this.documentsBucket = new s3.Bucket(this, 'DocumentsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.documentsKey,
      // One data key per bucket instead of a KMS call per object.
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are created by administrators (staff) or dealer onboarding, never self-service.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
        phoneNumber: { required: false, mutable: true },
      },
      customAttributes: {
        [CUSTOM_ATTRIBUTES.dealerId]: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        [CUSTOM_ATTRIBUTES.regions]: new cognito.StringAttribute({ minLen: 0, maxLen: 512, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Finance data and credit decisions sit behind these accounts: a second factor for everyone.
      // TOTP only, so no SMS role, SNS spend or SIM-swap exposure.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus tier: compromised-credential detection and adaptive authentication for dealer accounts.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // One group per built-in role; `cognito:groups` in the token carries the roles.
    [...BUILT_IN_ROLES.values()].forEach((role, precedence) => {
      this.userPool.addGroup(`Group-${role.name}`, {
        groupName: role.name,
        description: role.description,
        precedence,
      });
    });

    const readableAttributes = new cognito.ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true, phoneNumber: true, phoneNumberVerified: true })
      .withCustomAttributes(CUSTOM_ATTRIBUTES.dealerId, CUSTOM_ATTRIBUTES.regions);
    // dealerId and regions decide which data a principal sees: a user who could write them could
    // move into another dealer's tenancy. Only administrators (AdminUpdateUserAttributes) set them.
    const writableAttributes = new cognito.ClientAttributes().withStandardAttributes({
      email: true,
      fullname: true,
      phoneNumber: true,
    });

    this.userPoolClient = this.userPool.addClient('ApiClient', {
      userPoolClientName: 'dms-api',
      generateSecret: false,
      // SRP never sends the password; refresh tokens keep integrations signed in.
      authFlows: { userSrp: true },
      // No hosted UI yet: the portal and dealer systems sign in through the Cognito API.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: readableAttributes,
      writeAttributes: writableAttributes,
    });
  }

  get mainTableAccess(): EncryptedTable {
    return { table: this.mainTable, key: this.dataKey, indexNames: MAIN_TABLE.globalIndexes.map((index) => index.name) };
  }

  get idempotencyTableAccess(): EncryptedTable {
    return { table: this.idempotencyTable, key: this.dataKey };
  }

  get documentsAccess(): EncryptedBucket {
    return { bucket: this.documentsBucket, key: this.documentsKey };
  }
}
