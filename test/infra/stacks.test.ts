import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLE_NAMES } from '../../domain/access/roles';
import { IDEMPOTENCY_TABLE, MAIN_TABLE } from '../../functions/adapters/dynamo/table-schema';
import { HTTP_CONTEXTS, ALL_ROUTES } from '../../functions/http/routes';
import { NODE_RUNTIME } from '../../infra/constructs/app-function';
import { TABLE_WRITE_ACTIONS } from '../../infra/constructs/data-access';
import { contextServiceName } from '../../infra/stacks/api-stack';
import { buildApp } from '../../infra/stacks/build-app';

/*
 * One app for the whole file: synthesis is the expensive part. Bundling is skipped, but
 * NodejsFunction still requires every functions/http/<context>/index.ts entry to exist.
 */
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
const appContext = { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] };
const { data, api } = buildApp(new App({ context: appContext }), {
  env: { account: '123456789012', region: 'ap-southeast-1' },
});

// Annotations force a fresh synthesis; Templates then reuse the last one.
const nagFindings = [data, api].flatMap((stack) => {
  const annotations = Annotations.fromStack(stack);
  const pattern = Match.stringLikeRegexp('AwsSolutions-.*');
  return [...annotations.findError('*', pattern), ...annotations.findWarning('*', pattern)].map(
    (message) => `${stack.stackName} ${message.id}: ${String(message.entry.data)}`,
  );
});
const dataTemplate = Template.fromStack(data);
const apiTemplate = Template.fromStack(api);

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

function resources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

function tableWithPartitionKey(name: string): Resource {
  const matches = resources(dataTemplate, 'AWS::DynamoDB::Table').filter(([, table]) =>
    table.Properties.KeySchema.some((key: any) => key.KeyType === 'HASH' && key.AttributeName === name),
  );
  expect(matches).toHaveLength(1);
  return matches[0]![1];
}

const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('cdk-nag AwsSolutions', () => {
  it('reports no unsuppressed error or warning in any stack', () => {
    expect(nagFindings).toEqual([]);
  });
});

describe('data stack', () => {
  it('keeps the main table safe: PITR, KMS encryption with a rotated key, deletion protection, retained', () => {
    const table = tableWithPartitionKey(MAIN_TABLE.partitionKey);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    const keyRef = table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
    expect(dataTemplate.toJSON().Resources[keyRef]).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true },
    });
    expect(table.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: MAIN_TABLE.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('has the single-table keys and every generic GSI of MAIN_TABLE', () => {
    const table = tableWithPartitionKey(MAIN_TABLE.partitionKey);
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: MAIN_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: MAIN_TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    const indexes = table.Properties.GlobalSecondaryIndexes.map((index: any) => ({
      name: index.IndexName,
      partitionKey: index.KeySchema[0].AttributeName,
      sortKey: index.KeySchema[1].AttributeName,
    }));
    expect(indexes).toEqual(MAIN_TABLE.globalIndexes.map((index) => ({ ...index })));
  });

  it('has an encrypted idempotency table with the Powertools layout', () => {
    const table = tableWithPartitionKey(IDEMPOTENCY_TABLE.partitionKey);
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, KeyType: 'HASH' }]);
    expect(table.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: IDEMPOTENCY_TABLE.timeToLiveAttribute,
      Enabled: true,
    });
    expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('has the custom event bus with an archive', () => {
    dataTemplate.resourceCountIs('AWS::Events::EventBus', 1);
    dataTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: 'dms-events' });
    dataTemplate.resourceCountIs('AWS::Events::Archive', 1);
  });

  it('has a user pool with one group per built-in role and admin-only tenancy attributes', () => {
    const groups = resources(dataTemplate, 'AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties.GroupName);
    expect(groups.sort()).toEqual([...BUILT_IN_ROLE_NAMES].sort());

    const [[, pool]] = resources(dataTemplate, 'AWS::Cognito::UserPool') as [[string, Resource]];
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    const customAttributes = pool.Properties.Schema.filter((attribute: any) => attribute.Mutable !== undefined)
      .map((attribute: any) => attribute.Name);
    expect(customAttributes).toEqual(expect.arrayContaining(['dealerId', 'regions']));

    const [[, client]] = resources(dataTemplate, 'AWS::Cognito::UserPoolClient') as [[string, Resource]];
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:dealerId', 'custom:regions']));
    expect(client.Properties.WriteAttributes.filter((name: string) => name.startsWith('custom:'))).toEqual([]);
  });
});

describe('api stack', () => {
  const routes = resources(apiTemplate, 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties);

  it('has exactly one API Gateway route per row of the route table', () => {
    expect(routes.map((route) => route.RouteKey).sort()).toEqual(ALL_ROUTES.map(routeKey).sort());
  });

  it('puts the Cognito JWT authorizer on every non-public route and none on public ones', () => {
    const [[authorizerId, authorizer]] = resources(apiTemplate, 'AWS::ApiGatewayV2::Authorizer') as [[string, Resource]];
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('https://');
    expect(authorizer.Properties.JwtConfiguration.Audience).toHaveLength(1);

    for (const spec of ALL_ROUTES) {
      const route = routes.find((candidate) => candidate.RouteKey === routeKey(spec));
      expect(route, routeKey(spec)).toBeDefined();
      if (spec.permission === 'public') {
        expect(route!.AuthorizationType, routeKey(spec)).toBe('NONE');
        expect(route!.AuthorizerId, routeKey(spec)).toBeUndefined();
      } else {
        expect(route!.AuthorizationType, routeKey(spec)).toBe('JWT');
        expect(route!.AuthorizerId, routeKey(spec)).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('logs every request of the default stage as JSON and throttles it', () => {
    const [[, stage]] = resources(apiTemplate, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.AccessLogSettings.DestinationArn).toBeDefined();
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
      ip: '$context.identity.sourceIp',
    });
    expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.Properties.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
  });

  const functions = resources(apiTemplate, 'AWS::Lambda::Function');

  it('runs one arm64 function per context on the latest Node.js runtime with tracing', () => {
    expect(functions).toHaveLength(HTTP_CONTEXTS.length);
    expect(Number(/^nodejs(\d+)/.exec(NODE_RUNTIME.name)?.[1])).toBeGreaterThanOrEqual(22);
    for (const [id, fn] of functions) {
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
      expect(fn.Properties.Runtime, id).toBe(NODE_RUNTIME.name);
      expect(fn.Properties.Handler, id).toBe('index.handler');
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables, id).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        ENTERPRISE_TIME_ZONE: 'Asia/Shanghai',
      });
      expect(Object.keys(fn.Properties.Environment.Variables), id).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'EVENT_BUS_NAME', 'POWERTOOLS_SERVICE_NAME']),
      );
      expect(fn.Properties.LoggingConfig?.LogGroup, id).toBeDefined();
    }
  });

  it('grants Resource "*" only for X-Ray, whose actions have no resource-level permissions', () => {
    const onEverything = resources(apiTemplate, 'AWS::IAM::Policy').flatMap(([, policy]) =>
      policy.Properties.PolicyDocument.Statement.filter((statement: any) => [statement.Resource].flat().includes('*'))
        .flatMap((statement: any) => [statement.Action].flat()),
    );
    expect(onEverything.length).toBeGreaterThan(0);
    expect([...new Set(onEverything)].sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  describe.each(HTTP_CONTEXTS.map((context) => [context.name, context] as const))('IAM of the %s context', (_, context) => {
    const statements = () => {
      const fn = functions.find(
        ([, candidate]) => candidate.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === contextServiceName(context),
      );
      expect(fn, context.name).toBeDefined();
      const roleId = fn![1].Properties.Role['Fn::GetAtt'][0];
      expect(apiTemplate.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
      const policies = resources(apiTemplate, 'AWS::IAM::Policy').filter(([, policy]) =>
        policy.Properties.Roles.some((role: any) => role.Ref === roleId),
      );
      return policies.flatMap(([, policy]) =>
        policy.Properties.PolicyDocument.Statement.map((statement: any) => ({
          actions: [statement.Action].flat() as string[],
          resources: JSON.stringify(statement.Resource),
        })),
      );
    };
    const actionsOn = (logicalIdPart: string) =>
      statements()
        .filter((statement) => statement.resources.includes(logicalIdPart))
        .flatMap((statement) => statement.actions);

    it('touches the main table exactly as its resources say, never by Scan', () => {
      const mainTableActions = actionsOn('MainTable');
      const writes = mainTableActions.filter((action) => (TABLE_WRITE_ACTIONS as readonly string[]).includes(action));
      if (context.resources.mainTable === 'none') expect(mainTableActions).toEqual([]);
      if (context.resources.mainTable === 'read') {
        expect(mainTableActions).toContain('dynamodb:Query');
        expect(writes).toEqual([]);
      }
      if (context.resources.mainTable === 'readwrite') expect(writes.sort()).toEqual([...TABLE_WRITE_ACTIONS].sort());
      const all = statements().flatMap((statement) => statement.actions);
      expect(all).not.toContain('dynamodb:Scan');
      expect(all.filter((action) => action.endsWith(':*'))).toEqual([]);
    });

    it('uses the idempotency table and the event bus only when declared', () => {
      expect(actionsOn('IdempotencyTable').includes('dynamodb:PutItem')).toBe(context.resources.idempotencyTable);
      const putsEvents = statements().some((statement) => statement.actions.includes('events:PutEvents'));
      expect(putsEvents).toBe(context.resources.eventBus);
    });
  });
});
