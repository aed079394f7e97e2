import { Aspects, Tags, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HTTP_CONTEXTS } from '../../functions/http/routes';
import type { ContextSpec } from '../../functions/http/route';
import { SELLER_ENV } from '../../functions/adapters/documents/seller';
import { ApiStack } from './api-stack';
import { DataStack } from './data-stack';
import { WorkflowStack } from './workflow-stack';

export const DEFAULT_ENTERPRISE_TIME_ZONE = 'Asia/Shanghai';
const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

export interface BuildAppOptions {
  /** @default the environment of the CLI (CDK_DEFAULT_ACCOUNT/REGION), env-agnostic when unset */
  env?: Environment;
  /** @default HTTP_CONTEXTS, the route table */
  contexts?: readonly ContextSpec[];
}

export interface DmsApp {
  app: App;
  data: DataStack;
  workflows: WorkflowStack;
  api: ApiStack;
}

/** The one wiring of DMS on AWS, shared by bin/app.ts and the infra tests. */
export function buildApp(app: App, options: BuildAppOptions = {}): DmsApp {
  // Exports + Fn::ImportValue: CloudFormation itself refuses to delete the data stack while the
  // API uses it. Set here rather than only in cdk.json so the tests build the same references.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined) app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  const env = options.env ?? defaultEnv();
  const enterpriseTimeZone = String(app.node.tryGetContext('dms:enterpriseTimeZone') ?? DEFAULT_ENTERPRISE_TIME_ZONE);

  const data = new DataStack(app, 'Dms-Data', {
    env,
    description: 'DMS stateful resources: tables, encryption key, event bus, user pool',
    terminationProtection: true,
  });
  const workflows = new WorkflowStack(app, 'Dms-Workflows', {
    env,
    description: 'DMS workflows: Step Functions state machines and their task functions',
    data,
    enterpriseTimeZone,
    seller: sellerConfig(app),
  });
  const api = new ApiStack(app, 'Dms-Api', {
    env,
    description: 'DMS HTTP API: routes, JWT authorizer, one Lambda per bounded context',
    data,
    stateMachines: workflows.stateMachines,
    contexts: options.contexts ?? HTTP_CONTEXTS,
    enterpriseTimeZone,
  });

  Tags.of(app).add('app', 'dms');
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, data, workflows, api };
}

/**
 * The enterprise seller printed on invoices: context `dms:seller` (JSON string or object, e.g.
 * `cdk deploy -c dms:seller="$(cat seller.json)"`), else the DMS_SELLER variable at synth time.
 */
function sellerConfig(app: App): string | undefined {
  const fromContext: unknown = app.node.tryGetContext('dms:seller');
  if (fromContext !== undefined && fromContext !== null && fromContext !== '') {
    return typeof fromContext === 'string' ? fromContext : JSON.stringify(fromContext);
  }
  return process.env[SELLER_ENV] || undefined;
}

function defaultEnv(): Environment | undefined {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  return account || region ? { account, region } : undefined;
}
