import { Arn, ArnFormat, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { DOCUMENT_STORE_ENV } from '../../functions/adapters/documents/document-store-factory';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import { stateMachineArnEnv } from '../../functions/workflows/registry';
import type { ContextSpec } from '../../functions/http/route';
import { AppFunction } from '../constructs/app-function';
import { grantBucketAccess, grantPutEvents, grantTableAccess } from '../constructs/data-access';
import type { DataStack } from './data-stack';

export interface ApiStackProps extends StackProps {
  data: DataStack;
  /** The route table, grouped by bounded context: one function per context, one route per row. */
  contexts: readonly ContextSpec[];
  enterpriseTimeZone: string;
  /** State machines by workflow name (the workflow stack's), for contexts whose resources name workflows. */
  stateMachines?: Readonly<Record<string, sfn.IStateMachine>>;
  /** Steady-state requests per second across the stage. @default 500 */
  throttleRateLimit?: number;
  /** @default 1000 */
  throttleBurstLimit?: number;
}

/** Lambda entry of a bounded context, relative to the repository root. */
export function contextEntry(context: Pick<ContextSpec, 'name'>): string {
  return `functions/http/${context.name}/index.ts`;
}

/** Construct id of a context's function, also used to find it in the template. */
export function contextFunctionId(context: Pick<ContextSpec, 'name'>): string {
  return `${pascal(context.name)}Function`;
}

export function contextServiceName(context: Pick<ContextSpec, 'name'>): string {
  return `dms-${context.name}`;
}

/**
 * The stateless HTTP API: one Lambda per bounded context, one API Gateway route per row of the
 * route table, a Cognito JWT authorizer on everything that is not explicitly `public`.
 */
export class ApiStack extends Stack {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly functions: ReadonlyMap<string, AppFunction>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data } = props;

    const authorizer = new HttpJwtAuthorizer('CognitoJwt', `https://${data.userPool.userPoolProviderUrl}`, {
      authorizerName: 'cognito-jwt',
      identitySource: ['$request.header.Authorization'],
      jwtAudience: [data.userPoolClient.userPoolClientId],
    });

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: 'dms-api',
      description: 'DMS dealer management HTTP API',
      createDefaultStage: false,
      // Secure by default: a route added without naming an authorizer still requires a token.
      defaultAuthorizer: authorizer,
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      detailedMetricsEnabled: true,
      throttle: { rateLimit: props.throttleRateLimit ?? 500, burstLimit: props.throttleBurstLimit ?? 1000 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTimeEpoch',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            httpMethod: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integration.latency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const environment: Record<string, string> = {
      // Every function learns every name: names are not secrets, and a shared module that reads
      // them at import must not crash a context that does not use them. IAM decides what is usable.
      [ENV.tableName]: data.mainTable.tableName,
      [ENV.idempotencyTableName]: data.idempotencyTable.tableName,
      [ENV.eventBusName]: data.eventBus.eventBusName,
      [ENV.enterpriseTimeZone]: props.enterpriseTimeZone,
    };

    const functions = new Map<string, AppFunction>();
    for (const context of props.contexts) {
      const { mainTable, idempotencyTable, eventBus, workflows = [], documents } = context.resources;
      const stateMachines = workflows.map((name) => {
        const stateMachine = props.stateMachines?.[name];
        if (!stateMachine) throw new Error(`Context ${context.name} uses workflow ${name}, which the API stack was not given`);
        return { name, stateMachine };
      });
      // Only the contexts that use a workflow or the documents learn their names: these are the
      // variables whose absence the adapters report, so a missing grant shows as a missing name.
      const contextEnvironment: Record<string, string> = { ...environment };
      for (const { name, stateMachine } of stateMachines) contextEnvironment[stateMachineArnEnv(name)] = stateMachine.stateMachineArn;
      if (documents) contextEnvironment[DOCUMENT_STORE_ENV.bucket] = data.documentsBucket.bucketName;

      const fn = new AppFunction(this, contextFunctionId(context), {
        entry: contextEntry(context),
        serviceName: contextServiceName(context),
        description: `DMS HTTP API, ${context.name} context`,
        environment: contextEnvironment,
      });
      functions.set(context.name, fn);

      if (mainTable !== 'none') grantTableAccess(fn.role, data.mainTableAccess, mainTable);
      if (idempotencyTable) grantTableAccess(fn.role, data.idempotencyTableAccess, 'readwrite');
      if (eventBus) grantPutEvents(fn.role, data.eventBus);
      if (stateMachines.length > 0) this.grantWorkflowControl(context, fn, stateMachines.map((entry) => entry.stateMachine));
      if (documents === 'read') {
        grantBucketAccess(fn.role, data.documentsAccess, 'read');
        NagSuppressions.addResourceSuppressions(fn.role.node.findChild('DefaultPolicy'), [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'Presigned download links are authorized with the signer\'s s3:GetObject: on the objects of the documents bucket only (keys come from the order), no list, write or delete.',
            appliesTo: [{ regex: '/^Resource::.*DocumentsBucket.*\\/\\*$/g' }],
          },
        ]);
      }

      // One permission for the whole API instead of one per route: fewer resources per stack.
      const integration = new HttpLambdaIntegration(`${pascal(context.name)}Integration`, fn.function, {
        scopePermissionToRoute: false,
      });
      for (const route of context.routes) {
        const isPublic = route.permission === 'public';
        const httpRoute = new apigw.HttpRoute(this, `${pascal(context.name)}${pascal(route.operationId)}Route`, {
          httpApi: this.httpApi,
          routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
          integration,
          authorizer: isPublic ? new apigw.HttpNoneAuthorizer() : authorizer,
        });
        if (isPublic) {
          NagSuppressions.addResourceSuppressions(httpRoute, [
            {
              id: 'AwsSolutions-APIG4',
              reason: `${route.method} ${route.path} is public by design in the route table (permission 'public'), e.g. the OpenAPI document; it returns no tenant data.`,
            },
          ]);
        }
      }
    }
    this.functions = functions;

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the DMS HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: data.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: data.userPoolClient.userPoolClientId });
  }

  /**
   * Start and stop executions (named after the order, so a stop needs no lookup) and resume
   * callback tasks. In a policy of its own, so its suppressions cover nothing else.
   */
  private grantWorkflowControl(context: ContextSpec, fn: AppFunction, stateMachines: readonly sfn.IStateMachine[]): void {
    const policy = new iam.Policy(this, `${pascal(context.name)}WorkflowPolicy`, {
      roles: [fn.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['states:StartExecution'],
          resources: stateMachines.map((stateMachine) => stateMachine.stateMachineArn),
        }),
        new iam.PolicyStatement({
          actions: ['states:StopExecution'],
          resources: stateMachines.map((stateMachine) =>
            this.formatArn({
              service: 'states',
              resource: 'execution',
              // The name from the ARN, so any IStateMachine (imported ones too) will do.
              resourceName: `${Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}:*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ),
        }),
        // A task token names no resource: these actions only accept "*" (the token is the secret).
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: ['*'],
        }),
      ],
    });
    NagSuppressions.addResourceSuppressions(policy, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'states:SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat do not support resource-level permissions (the task token identifies the task); the only valid resource is "*".',
        appliesTo: ['Resource::*'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Executions are named after the order id, unknown at deploy time: states:StopExecution on the executions of this context\'s state machines only.',
        appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:states:.*:execution:.*:\\*$/g' }],
      },
    ]);
  }
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
