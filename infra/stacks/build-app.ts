import { Aspects, Tags, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HTTP_CONTEXTS } from '../../functions/http/routes';
import type { ContextSpec } from '../../functions/http/route';
import { SELLER_ENV } from '../../functions/adapters/documents/seller';
import { ApiStack } from './api-stack';
import { DataStack } from './data-stack';
import { WorkflowStack } from './workflow-stack';
import { ScheduleStack, type MailConfig } from './schedule-stack';
import { MAIL_ENV, TWIN_MAIL_FROM } from '../../functions/adapters/email/mailer-factory';

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
  schedules: ScheduleStack;
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

  const schedules = new ScheduleStack(app, 'Dms-Schedules', {
    env,
    description: 'DMS schedules: EventBridge Scheduler rows of the schedule table (alerts, credit re-evaluation) and their handlers',
    data,
    enterpriseTimeZone,
    mail: mailConfig(app),
  });

  Tags.of(app).add('app', 'dms');
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, data, workflows, api, schedules };
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

/**
 * Alert email: context `dms:mailFrom` (a verified SES sender; `dms:mailIdentity` when the verified
 * identity is not the sender's domain), `dms:financeEmails`, `dms:warehouseEmails` (comma-separated),
 * else the DMS_MAIL_FROM / DMS_FINANCE_EMAILS / DMS_WAREHOUSE_EMAILS variables at synth time.
 */
function mailConfig(app: App): MailConfig {
  const value = (context: string, env: string) => {
    const raw: unknown = app.node.tryGetContext(context);
    const text = raw === undefined || raw === null ? process.env[env] : String(raw);
    return text ? text : undefined;
  };
  const identity = value('dms:mailIdentity', 'DMS_MAIL_IDENTITY');
  const financeEmails = value('dms:financeEmails', MAIL_ENV.financeEmails);
  const warehouseEmails = value('dms:warehouseEmails', MAIL_ENV.warehouseEmails);
  return {
    from: value('dms:mailFrom', MAIL_ENV.from) ?? TWIN_MAIL_FROM,
    ...(identity ? { identity } : {}),
    ...(financeEmails ? { financeEmails } : {}),
    ...(warehouseEmails ? { warehouseEmails } : {}),
  };
}

function defaultEnv(): Environment | undefined {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  return account || region ? { account, region } : undefined;
}
