import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The workflow table: one entry per Step Functions workflow, read by the CDK construct
 * (infra/constructs/workflow.ts) and by the twin's runner (infra/local/workflow-runner.ts), so a
 * definition and its tasks are listed exactly once.
 */

/** A task handler has the shape of a Lambda handler; the twin calls it in process. */
export type WorkflowTaskHandler = (event: any, context?: unknown) => Promise<unknown>;

export interface WorkflowTaskSpec {
  /** Lambda entry relative to the repository root (CDK bundles it into an AppFunction). */
  entry: string;
  /** Lazy so that CDK synthesis never imports handler code (and its SDK clients). */
  load: () => Promise<WorkflowTaskHandler>;
  /** Powertools service name of the deployed function. @default `workflow-<name>-<key>` */
  serviceName?: string;
  /** How CDK deploys the task when the defaults do not fit; the twin ignores it. */
  deployment?: WorkflowTaskDeployment;
}

/** Deployment hints of one task, read only by infra/constructs/workflow.ts and the workflow stack. */
export interface WorkflowTaskDeployment {
  /** Lambda timeout. @default 30 */
  timeoutSeconds?: number;
  /** @default 1024 */
  memorySize?: number;
  /** The task writes generated documents: the stack grants PutObject on the documents bucket. */
  documents?: 'write';
  bundling?: WorkflowTaskBundling;
}

export interface WorkflowTaskBundling {
  /** Packages installed next to the bundle instead of inlined (e.g. ones loading a .wasm from their own folder). */
  nodeModules?: readonly string[];
  /** Files copied into the bundle; `from` relative to the repository root, `to` relative to the bundle (/var/task). */
  copyFiles?: readonly { from: string; to: string }[];
  /** Variables pointing the code at those files on Lambda. */
  environment?: Readonly<Record<string, string>>;
}

export interface WorkflowSpec {
  /** Stable name: the state machine's logical id on AWS and the key of `start(name, …)` locally. */
  name: string;
  /**
   * JSONPath ASL file relative to the repository root, normally under
   * functions/workflows/definitions/. `${Key}` placeholders must sit inside JSON strings so the
   * file stays valid JSON before substitution (use `…Path` fields for computed numbers).
   */
  definitionFile: string;
  /** Placeholder key → task. CDK substitutes the function ARN, the twin an in-process handler. */
  tasks: Record<string, WorkflowTaskSpec>;
  /** Placeholders that are not tasks (table names, bus names…), supplied by the stack or the twin. */
  substitutions?: readonly string[];
}

const orderApprovalTask = (
  file: string,
  load: () => Promise<{ handler: WorkflowTaskHandler }>,
  deployment?: WorkflowTaskDeployment,
): WorkflowTaskSpec => ({
  entry: `functions/workflows/order-approval/${file}.ts`,
  load: async () => (await load()).handler,
  serviceName: `dms-order-approval-${file}`,
  ...(deployment ? { deployment } : {}),
});

const CJK_FONT_FILE = 'NotoSansSC_400Regular.ttf';

/**
 * The PDF tasks (functions/adapters/documents/invoice-pdf.ts): the 10 MB CJK font is copied next
 * to the bundle rather than inlined, and subset-font stays a real package because HarfBuzz loads
 * its .wasm through require.resolve at run time. Rendering and subsetting take a few seconds cold.
 */
const DOCUMENT_TASK: WorkflowTaskDeployment = {
  timeoutSeconds: 60,
  memorySize: 1024,
  documents: 'write',
  bundling: {
    nodeModules: ['subset-font'],
    copyFiles: [{ from: `node_modules/@expo-google-fonts/noto-sans-sc/400Regular/${CJK_FONT_FILE}`, to: CJK_FONT_FILE }],
    environment: { DOCUMENT_FONT_PATH: `/var/task/${CJK_FONT_FILE}` },
  },
};

export const ORDER_APPROVAL_WORKFLOW = 'order-approval';

/**
 * The variable through which API functions learn a workflow's state machine ARN:
 * `order-approval` → `ORDER_APPROVAL_STATE_MACHINE_ARN`. The CDK stack sets it, the adapter reads it.
 */
export function stateMachineArnEnv(workflowName: string): string {
  return `${workflowName.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_STATE_MACHINE_ARN`;
}

export const WORKFLOWS: readonly WorkflowSpec[] = [
  {
    name: ORDER_APPROVAL_WORKFLOW,
    definitionFile: 'functions/workflows/definitions/order-approval.asl.json',
    tasks: {
      NextStepFunctionArn: orderApprovalTask('next-step', () => import('./order-approval/next-step')),
      AwaitApprovalFunctionArn: orderApprovalTask('await-approval', () => import('./order-approval/await-approval')),
      StepTimedOutFunctionArn: orderApprovalTask('step-timed-out', () => import('./order-approval/step-timed-out')),
      MarkApprovedFunctionArn: orderApprovalTask('mark-approved', () => import('./order-approval/mark-approved')),
      IssueInvoiceFunctionArn: orderApprovalTask('issue-invoice', () => import('./order-approval/issue-invoice'), DOCUMENT_TASK),
      IssueShippingNoteFunctionArn: orderApprovalTask('issue-shipping-note', () => import('./order-approval/issue-shipping-note'), DOCUMENT_TASK),
      FailOrderFunctionArn: orderApprovalTask('fail-order', () => import('./order-approval/fail-order')),
    },
  },
];

export const WORKFLOWS_REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function readDefinitionText(spec: WorkflowSpec): string {
  return readFileSync(path.resolve(WORKFLOWS_REPO_ROOT, spec.definitionFile), 'utf8');
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Every `${Key}` the definition uses, in order of first appearance. */
export function placeholdersOf(definitionText: string): string[] {
  return [...new Set([...definitionText.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/**
 * Replaces `${Key}` like CDK's definitionSubstitutions; an unknown key fails here rather than
 * leaving a literal `${…}` in a Resource that would only fail at run time.
 */
export function substitute(definitionText: string, values: Record<string, string>): string {
  return definitionText.replace(PLACEHOLDER, (_whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`No substitution for \${${key}}`);
    // Values land inside JSON strings: escape them as JSON would.
    return JSON.stringify(value).slice(1, -1);
  });
}

/** Placeholders a spec must be given besides its tasks; surfaces typos in the table early. */
export function missingSubstitutions(spec: WorkflowSpec, definitionText = readDefinitionText(spec)): string[] {
  const known = new Set([...Object.keys(spec.tasks), ...(spec.substitutions ?? [])]);
  return placeholdersOf(definitionText).filter((key) => !known.has(key));
}

export function workflowByName(name: string, workflows: readonly WorkflowSpec[] = WORKFLOWS): WorkflowSpec {
  const spec = workflows.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`Unknown workflow ${name}`);
  return spec;
}
