import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLE_NAMES } from '../../domain/access/roles';
import { DOCUMENT_STORE_ENV } from '../../functions/adapters/documents/document-store-factory';
import { IDEMPOTENCY_TABLE, MAIN_TABLE } from '../../functions/adapters/dynamo/table-schema';
import { HTTP_CONTEXTS, ALL_ROUTES } from '../../functions/http/routes';
import { ORDER_APPROVAL_STATE_MACHINE_ENV } from '../../functions/workflows/order-approval/sfn-approval-workflow';
import {
  ORDER_APPROVAL_WORKFLOW,
  WORKFLOWS,
  readDefinitionText,
  stateMachineArnEnv,
  substitute,
  workflowByName,
} from '../../functions/workflows/registry';
import { NODE_RUNTIME, REPO_ROOT, appFunctionBundling } from '../../infra/constructs/app-function';
import { TABLE_WRITE_ACTIONS } from '../../infra/constructs/data-access';
import { callbackTimeoutFindings, retryCatchFindings, taskStates } from './asl-rules';
import { contextServiceName } from '../../infra/stacks/api-stack';
import { buildApp } from '../../infra/stacks/build-app';

// asl-validator is CommonJS without type declarations.
type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/*
 * One app for the whole file: synthesis is the expensive part. Bundling is skipped, but
 * NodejsFunction still requires every functions/http/<context>/index.ts entry to exist.
 */
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
const appContext = { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] };
const { data, workflows, api } = buildApp(new App({ context: appContext }), {
  env: { account: '123456789012', region: 'ap-southeast-1' },
});

// Annotations force a fresh synthesis; Templates then reuse the last one.
const nagFindings = [data, workflows, api].flatMap((stack) => {
  const annotations = Annotations.fromStack(stack);
  const pattern = Match.stringLikeRegexp('AwsSolutions-.*');
  return [...annotations.findError('*', pattern), ...annotations.findWarning('*', pattern)].map(
    (message) => `${stack.stackName} ${message.id}: ${String(message.entry.data)}`,
  );
});
const dataTemplate = Template.fromStack(data);
const workflowTemplate = Template.fromStack(workflows);
const apiTemplate = Template.fromStack(api);

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

function resources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

/** Statements of every policy attached to a role, with resources as JSON for substring checks. */
function roleStatements(template: Template, roleId: string): { actions: string[]; resources: string; raw: any }[] {
  return resources(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => policy.Properties.Roles.some((role: any) => role.Ref === roleId))
    .flatMap(([, policy]) =>
      policy.Properties.PolicyDocument.Statement.map((statement: any) => ({
        actions: [statement.Action].flat() as string[],
        resources: JSON.stringify(statement.Resource),
        raw: statement,
      })),
    );
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

  it('keeps generated documents in a KMS-encrypted, versioned, retained, SSL-only, private bucket with access logs', () => {
    const documentsId = data.getLogicalId(data.documentsBucket.node.defaultChild as never);
    const logsId = data.getLogicalId(data.accessLogsBucket.node.defaultChild as never);
    const keyId = data.getLogicalId(data.documentsKey.node.defaultChild as never);
    const all = dataTemplate.toJSON().Resources as Record<string, Resource>;
    const bucket = all[documentsId]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
    ]);
    expect(all[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    expect(bucket.Properties.LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: logsId } });

    const blockAll = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
    for (const id of [documentsId, logsId]) {
      expect(all[id]!.Properties.PublicAccessBlockConfiguration, id).toEqual(blockAll);
      expect(all[id]!.Properties.OwnershipControls, id).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      const [[, policy]] = resources(dataTemplate, 'AWS::S3::BucketPolicy').filter(([, candidate]) => candidate.Properties.Bucket.Ref === id) as [[string, Resource]];
      expect(policy.Properties.PolicyDocument.Statement, id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: { AWS: '*' } }),
      );
      // Nothing but the deny and log delivery: no principal outside the account can read.
      const allows = policy.Properties.PolicyDocument.Statement.filter((statement: any) => statement.Effect === 'Allow');
      expect(allows.map((statement: any) => statement.Principal), id).toEqual(id === logsId ? [{ Service: 'logging.s3.amazonaws.com' }] : []);
    }
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

  it('grants Resource "*" only for actions without resource-level permissions: X-Ray and task-token callbacks', () => {
    const onEverything = resources(apiTemplate, 'AWS::IAM::Policy').flatMap(([, policy]) =>
      policy.Properties.PolicyDocument.Statement.filter((statement: any) => [statement.Resource].flat().includes('*'))
        .flatMap((statement: any) => [statement.Action].flat()),
    );
    expect(onEverything.length).toBeGreaterThan(0);
    const usesWorkflows = HTTP_CONTEXTS.some((context) => (context.resources.workflows ?? []).length > 0);
    expect([...new Set(onEverything)].sort()).toEqual(
      [
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
        ...(usesWorkflows ? ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'] : []),
      ].sort(),
    );
  });

  it('derives the state machine variable from the registry name, as the adapter reads it', () => {
    expect(stateMachineArnEnv(ORDER_APPROVAL_WORKFLOW)).toBe(ORDER_APPROVAL_STATE_MACHINE_ENV);
  });

  describe.each(HTTP_CONTEXTS.map((context) => [context.name, context] as const))('IAM of the %s context', (_, context) => {
    const contextFunction = () => {
      const fn = functions.find(
        ([, candidate]) => candidate.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === contextServiceName(context),
      );
      expect(fn, context.name).toBeDefined();
      return fn![1];
    };
    const statements = () => {
      const roleId = contextFunction().Properties.Role['Fn::GetAtt'][0];
      expect(apiTemplate.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
      return roleStatements(apiTemplate, roleId);
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

    it('learns and controls exactly the workflows it declares', () => {
      const declared = context.resources.workflows ?? [];
      const variables = contextFunction().Properties.Environment.Variables;
      const statesStatements = statements().filter((statement) => statement.actions.some((action) => action.startsWith('states:')));
      for (const spec of WORKFLOWS) {
        const stateMachineId = workflows.getLogicalId(workflows.workflows[spec.name]!.stateMachine.node.defaultChild as never);
        const variable = variables[stateMachineArnEnv(spec.name)];
        if (!declared.includes(spec.name)) {
          expect(variable, spec.name).toBeUndefined();
          continue;
        }
        // The ARN comes from the workflow stack's export of this very state machine.
        expect(JSON.stringify(variable), spec.name).toMatch(new RegExp(`"Fn::ImportValue":"Dms-Workflows:ExportsOutputRef${stateMachineId}`));
        const start = statesStatements.filter((statement) => statement.actions.includes('states:StartExecution'));
        expect(start.map((statement) => statement.actions)).toEqual([['states:StartExecution']]);
        expect(start[0]!.resources).toContain(stateMachineId);
        const stop = statesStatements.filter((statement) => statement.actions.includes('states:StopExecution'));
        expect(stop.map((statement) => statement.actions)).toEqual([['states:StopExecution']]);
        // arn:<partition>:states:<region>:<account>:execution:<state machine name>:*
        expect(stop[0]!.raw.Resource).toEqual({
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':states:ap-southeast-1:123456789012:execution:',
              { 'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::ImportValue': expect.stringContaining(stateMachineId) }] }] },
              ':*',
            ],
          ],
        });
      }
      const statesActions = statesStatements.flatMap((statement) => statement.actions).sort();
      if (declared.length === 0) {
        expect(statesActions).toEqual([]);
      } else {
        expect(statesActions).toEqual(
          ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess', 'states:StartExecution', 'states:StopExecution'].sort(),
        );
        const callbacks = statesStatements.filter((statement) => statement.actions.includes('states:SendTaskSuccess'));
        expect(callbacks.map((statement) => statement.raw.Resource)).toEqual(['*']);
      }
    });

    it('signs document links only when it declares documents: GetObject and Decrypt, nothing else', () => {
      const variables = contextFunction().Properties.Environment.Variables;
      const s3Actions = statements().flatMap((statement) => statement.actions.filter((action) => action.startsWith('s3:')));
      const documentKeyActions = actionsOn('DocumentsKey');
      if (context.resources.documents === 'read') {
        expect(JSON.stringify(variables[DOCUMENT_STORE_ENV.bucket])).toContain('DocumentsBucket');
        expect(s3Actions).toEqual(['s3:GetObject']);
        const getObject = statements().find((statement) => statement.actions.includes('s3:GetObject'))!;
        expect(getObject.raw.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringContaining('DocumentsBucket') }, '/*']] });
        expect(documentKeyActions).toEqual(['kms:Decrypt']);
        const decrypt = statements().find((statement) => statement.resources.includes('DocumentsKey'))!;
        expect(JSON.stringify(decrypt.raw.Condition)).toContain('"s3.ap-southeast-1."');
      } else {
        expect(variables[DOCUMENT_STORE_ENV.bucket]).toBeUndefined();
        expect(s3Actions).toEqual([]);
        expect(documentKeyActions).toEqual([]);
      }
    });
  });
});

describe('workflow stack', () => {
  const stateMachines = resources(workflowTemplate, 'AWS::StepFunctions::StateMachine');
  const taskFunctionIds = new Set(resources(workflowTemplate, 'AWS::Lambda::Function').map(([id]) => id));
  const logicalId = (construct: { node: { defaultChild?: unknown } }) => workflows.getLogicalId(construct.node.defaultChild as never);

  it('deploys one state machine per registry entry, from its JSON file', () => {
    expect(stateMachines).toHaveLength(WORKFLOWS.length);
    expect(Object.keys(workflows.workflows).sort()).toEqual(WORKFLOWS.map((spec) => spec.name).sort());
    for (const spec of WORKFLOWS) {
      const id = logicalId(workflows.workflows[spec.name]!.stateMachine);
      const [, stateMachine] = stateMachines.find(([candidate]) => candidate === id)!;
      expect(stateMachine.Properties.DefinitionString, spec.name).toBe(readDefinitionText(spec));
    }
  });

  describe.each(WORKFLOWS.map((spec) => [spec.name, spec] as const))('%s', (name, spec) => {
    const workflow = workflows.workflows[name]!;
    const stateMachine = workflowTemplate.toJSON().Resources[logicalId(workflow.stateMachine)] as Resource;
    const definition = JSON.parse(stateMachine.Properties.DefinitionString);
    const tasks = taskStates(definition.States);
    const substitutions = stateMachine.Properties.DefinitionSubstitutions as Record<string, any>;

    it('is a STANDARD state machine logging ALL events with execution data, traced with X-Ray', () => {
      expect(stateMachine.Properties.StateMachineType).toBe('STANDARD');
      expect(stateMachine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
      expect(stateMachine.Properties.LoggingConfiguration.Destinations).toHaveLength(1);
      expect(stateMachine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    });

    it('calls only task functions of this stack, and may invoke exactly those', () => {
      expect(tasks.length).toBeGreaterThan(0);
      const called = tasks.map(({ name: stateName, state }) => {
        expect(state.Resource, stateName).toMatch(/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/);
        const placeholder = /^\$\{([A-Za-z0-9_]+)\}$/.exec(state.Parameters?.FunctionName ?? '');
        expect(placeholder, stateName).not.toBeNull();
        const substituted = substitutions[placeholder![1]!];
        expect(substituted, stateName).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
        expect(taskFunctionIds.has(substituted['Fn::GetAtt'][0]), stateName).toBe(true);
        return substituted['Fn::GetAtt'][0] as string;
      });
      // Every task of the registry is called, and each by its own function.
      const expectedIds = Object.values(workflow.functions).map((fn) => logicalId(fn.function));
      expect([...new Set(called)].sort()).toEqual([...expectedIds].sort());

      const roleId = stateMachine.Properties.RoleArn['Fn::GetAtt'][0];
      const invoke = roleStatements(workflowTemplate, roleId).filter((statement) => statement.actions.some((action) => action.startsWith('lambda:')));
      expect(invoke.map((statement) => statement.actions)).toEqual([['lambda:InvokeFunction']]);
      const invoked = [invoke[0]!.raw.Resource].flat();
      expect(invoked.map((resource: any) => resource['Fn::GetAtt']?.[0]).sort()).toEqual([...expectedIds].sort());
      expect(invoked.every((resource: any) => resource['Fn::GetAtt']?.[1] === 'Arn')).toBe(true);
    });

    it('gives every .waitForTaskToken state a timeout', () => {
      expect(tasks.some(({ state }) => String(state.Resource).endsWith('.waitForTaskToken'))).toBe(true);
      expect(callbackTimeoutFindings(definition)).toEqual([]);
    });

    it('retries every Task with backoff and catches its failure, itself or in its Parallel', () => {
      expect(retryCatchFindings(definition)).toEqual([]);
    });

    type BrokenCase = [string, (broken: any) => void, (definition: any) => string[], RegExp[]];
    const brokenCases: BrokenCase[] = [
      ['a callback without timeout', (d) => delete d.States['Await approval'].TimeoutSecondsPath, callbackTimeoutFindings, [/^Await approval: callback without/]],
      ['a task without Catch', (d) => delete d.States['Mark approved'].Catch, retryCatchFindings, [/^Mark approved: no Catch/]],
      ['the failure handler without Catch', (d) => delete d.States['Fail order'].Catch, retryCatchFindings, [/^Fail order: no Catch/]],
      ['a Parallel without Catch', (d) => delete d.States['Issue documents'].Catch, retryCatchFindings, [/^Issue invoice: no Catch/, /^Issue shipping note: no Catch/]],
      ['a retry without backoff', (d) => delete d.States['Next step'].Retry[1].BackoffRate, retryCatchFindings, [/^Next step: Retry .* BackoffRate/]],
      ['a retry without interval', (d) => delete d.States['Step timed out'].Retry[0].IntervalSeconds, retryCatchFindings, [/^Step timed out: Retry .* IntervalSeconds/]],
      ['a task without Retry', (d) => delete d.States['Mark approved'].Retry, retryCatchFindings, [/^Mark approved: no Retry/]],
    ];
    // The cases name states of order-approval; other workflows are covered by the rules above.
    it.runIf(name === ORDER_APPROVAL_WORKFLOW).each(brokenCases)('the rules catch %s', (_case, breakIt, rule, findings) => {
      const broken = structuredClone(definition);
      breakIt(broken);
      expect(rule(broken)).toEqual(findings.map((finding) => expect.stringMatching(finding)));
    });

    it('passes asl-validator as deployed (task ARNs substituted)', () => {
      const deployed = substitute(
        stateMachine.Properties.DefinitionString,
        Object.fromEntries(Object.keys(substitutions).map((key) => [key, `arn:aws:lambda:ap-southeast-1:123456789012:function:${name}-${key}`])),
      );
      const { isValid, errorsText } = aslValidator(JSON.parse(deployed));
      expect(isValid, errorsText('\n')).toBe(true);
    });

    describe.each(Object.keys(spec.tasks).map((key) => [key] as const))('task %s', (key) => {
      const task = spec.tasks[key]!;
      const fn = () => workflowTemplate.toJSON().Resources[logicalId(workflow.functions[key]!.function)] as Resource;
      const statements = () => roleStatements(workflowTemplate, fn().Properties.Role['Fn::GetAtt'][0]);

      it('learns the table, bus, time zone and documents bucket', () => {
        const variables = fn().Properties.Environment.Variables;
        expect(variables.ENTERPRISE_TIME_ZONE).toBe('Asia/Shanghai');
        for (const [variable, exported] of [
          ['TABLE_NAME', 'MainTable'],
          ['EVENT_BUS_NAME', 'EventBus'],
          [DOCUMENT_STORE_ENV.bucket, 'DocumentsBucket'],
        ] as const) {
          expect(variables[variable], variable).toEqual({ 'Fn::ImportValue': expect.stringContaining(`Dms-Data:ExportsOutputRef${exported}`) });
        }
      });

      it('reads and writes the main table, publishes events, and puts objects only if it writes documents', () => {
        const all = statements().flatMap((statement) => statement.actions);
        const mainTable = statements().filter((statement) => statement.resources.includes('MainTable')).flatMap((statement) => statement.actions);
        expect(mainTable.filter((action) => (TABLE_WRITE_ACTIONS as readonly string[]).includes(action)).sort()).toEqual([...TABLE_WRITE_ACTIONS].sort());
        expect(all).toContain('events:PutEvents');
        expect(all).not.toContain('dynamodb:Scan');
        expect(all.filter((action) => action.endsWith(':*'))).toEqual([]);
        expect(statements().filter((statement) => statement.resources.includes('IdempotencyTable'))).toEqual([]);
        expect(all.filter((action) => action.startsWith('states:'))).toEqual([]);

        const s3Statements = statements().filter((statement) => statement.actions.some((action) => action.startsWith('s3:')));
        const documentKey = statements().filter((statement) => statement.resources.includes('DocumentsKey'));
        if (task.deployment?.documents === 'write') {
          expect(s3Statements.map((statement) => statement.actions)).toEqual([['s3:PutObject']]);
          expect(s3Statements[0]!.raw.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringContaining('DocumentsBucket') }, '/*']] });
          expect(documentKey.map((statement) => statement.actions.sort())).toEqual([['kms:Decrypt', 'kms:GenerateDataKey']]);
          expect(JSON.stringify(documentKey[0]!.raw.Condition)).toContain('"s3.ap-southeast-1."');
        } else {
          expect(s3Statements).toEqual([]);
          expect(documentKey).toEqual([]);
        }
      });

      it('gets its deployment hints: timeout, memory, bundle files and the variables pointing at them', () => {
        const properties = fn().Properties;
        expect(properties.Timeout).toBe(task.deployment?.timeoutSeconds ?? 30);
        expect(properties.MemorySize).toBe(task.deployment?.memorySize ?? 1024);
        for (const [variable, value] of Object.entries(task.deployment?.bundling?.environment ?? {})) {
          expect(properties.Environment.Variables[variable], variable).toBe(value);
        }
        if (!task.deployment?.bundling?.environment) expect(properties.Environment.Variables.DOCUMENT_FONT_PATH).toBeUndefined();
      });
    });
  });

  describe('document tasks of order-approval', () => {
    const spec = workflowByName(ORDER_APPROVAL_WORKFLOW);
    const documentTasks = Object.entries(spec.tasks).filter(([, task]) => task.deployment?.documents === 'write');

    it('are exactly the invoice and shipping-note tasks', () => {
      expect(documentTasks.map(([key]) => key).sort()).toEqual(['IssueInvoiceFunctionArn', 'IssueShippingNoteFunctionArn']);
    });

    it.each(documentTasks)('%s has the CJK font copied to DOCUMENT_FONT_PATH and subset-font installed beside the bundle', (_key, task) => {
      const bundling = task.deployment!.bundling!;
      expect(bundling.nodeModules).toContain('subset-font');
      // NodejsFunction installs nodeModules at the version of package.json: they must be runtime dependencies.
      const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
      for (const module of bundling.nodeModules ?? []) expect(pkg.dependencies[module], module).toBeDefined();

      const fontPath = bundling.environment!.DOCUMENT_FONT_PATH!;
      expect(fontPath.startsWith('/var/task/')).toBe(true);
      const copy = bundling.copyFiles!.find((file) => `/var/task/${file.to}` === fontPath);
      expect(copy).toBeDefined();

      // Run the afterBundling hook CDK would run, into a scratch output directory.
      const outputDir = mkdtempSync(path.join(tmpdir(), 'dms-bundle-'));
      try {
        const options = appFunctionBundling(bundling);
        expect(options.nodeModules).toEqual([...bundling.nodeModules!]);
        for (const command of options.commandHooks!.afterBundling(REPO_ROOT, outputDir)) execSync(command, { stdio: 'pipe' });
        const copied = path.join(outputDir, copy!.to);
        expect(existsSync(copied)).toBe(true);
        expect(statSync(copied).size).toBe(statSync(path.join(REPO_ROOT, copy!.from)).size);
        expect(readFileSync(copied).subarray(0, 4).toString('hex')).toBe('00010000'); // TrueType
      } finally {
        rmSync(outputDir, { recursive: true, force: true });
      }
    });

    it('refuses a copy that does not exist or leaves the bundle', () => {
      expect(() => appFunctionBundling({ copyFiles: [{ from: 'node_modules/no-such-package/font.ttf', to: 'font.ttf' }] })).toThrow(/does not exist/);
      expect(() => appFunctionBundling({ copyFiles: [{ from: 'package.json', to: '../package.json' }] })).toThrow(/inside the bundle/);
    });
  });
});
