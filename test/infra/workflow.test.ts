import { readFileSync } from 'node:fs';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { addWorkflows, Workflow } from '../../infra/constructs/workflow';
import { SAMPLE_WORKFLOW } from '../support/workflows/sample-workflow';

/* The Workflow construct with the sample definition, in a stack of its own (bundling skipped). */
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const stack = new Stack(app, 'WorkflowTest', { env: { account: '123456789012', region: 'ap-southeast-1' } });
const workflow = new Workflow(stack, 'Sample', { spec: SAMPLE_WORKFLOW });
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));

const pattern = Match.stringLikeRegexp('AwsSolutions-.*');
const annotations = Annotations.fromStack(stack);
const nagFindings = [...annotations.findError('*', pattern), ...annotations.findWarning('*', pattern)].map(
  (message) => `${message.id}: ${String(message.entry.data)}`,
);
const template = Template.fromStack(stack);
const stateMachine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as {
  Properties: Record<string, any>;
};

function logicalIdOf(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

describe('Workflow construct (sample definition)', () => {
  it('deploys one STANDARD state machine from the JSON file', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    expect(stateMachine.Properties.StateMachineType).toBe('STANDARD');
    expect(stateMachine.Properties.DefinitionString).toBe(readFileSync(new URL('../support/workflows/sample.asl.json', import.meta.url), 'utf8'));
    expect(Object.keys(stateMachine.Properties.DefinitionSubstitutions).sort()).toEqual(
      Object.keys(SAMPLE_WORKFLOW.tasks).sort(),
    );
    for (const [key, fn] of Object.entries(workflow.functions)) {
      expect(stateMachine.Properties.DefinitionSubstitutions[key]).toEqual({
        'Fn::GetAtt': [logicalIdOf(fn.function), 'Arn'],
      });
    }
  });

  it('logs every event (level ALL) to its log group and traces with X-Ray', () => {
    expect(stateMachine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    expect(stateMachine.Properties.LoggingConfiguration.Destinations).toHaveLength(1);
    expect(stateMachine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('grants lambda:InvokeFunction on exactly the task functions', () => {
    const roleId = logicalIdOf(workflow.stateMachine.role as never);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy: any) =>
      policy.Properties.Roles.some((role: any) => role.Ref === roleId),
    );
    const invoke = policies
      .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: any) => [statement.Action].flat().includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    const expected = Object.values(workflow.functions).map((fn) => ({
      'Fn::GetAtt': [logicalIdOf(fn.function), 'Arn'],
    }));
    expect([invoke[0].Resource].flat()).toEqual(expect.arrayContaining(expected));
    expect([invoke[0].Resource].flat()).toHaveLength(expected.length);
  });

  it('gives every callback task a TimeoutSeconds', () => {
    const definition = JSON.parse(stateMachine.Properties.DefinitionString);
    const callbacks = Object.entries(definition.States as Record<string, any>).filter(([, state]) =>
      String(state.Resource).endsWith('.waitForTaskToken'),
    );
    expect(callbacks.length).toBeGreaterThan(0);
    for (const [name, state] of callbacks) expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
  });

  it('reports no unsuppressed cdk-nag AwsSolutions finding', () => {
    expect(nagFindings).toEqual([]);
  });

  it('adds nothing for an empty registry', () => {
    const emptyStack = new Stack(new App(), 'Empty');
    expect(addWorkflows(emptyStack, { workflows: [] })).toEqual({});
    expect(Object.keys(Template.fromStack(emptyStack).toJSON().Resources ?? {})).toEqual([]);
  });
});
