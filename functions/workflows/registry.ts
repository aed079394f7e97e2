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

/** Empty until the orders approval workflow lands; an empty table deploys nothing. */
export const WORKFLOWS: readonly WorkflowSpec[] = [];

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
