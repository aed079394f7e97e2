import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  WORKFLOWS,
  missingSubstitutions,
  readDefinitionText,
  type WorkflowSpec,
} from '../../functions/workflows/registry';
import { AppFunction } from './app-function';

export interface WorkflowProps {
  /** The registry entry; its JSON definition is deployed as is, with `${…}` substituted. */
  spec: WorkflowSpec;
  /** Values of the spec's non-task placeholders. */
  substitutions?: Record<string, string>;
  /** Environment shared by the task functions (table names, bus name…). */
  environment?: Record<string, string>;
  /** @default 30 seconds: a task does one use case; callbacks wait in Step Functions, not in Lambda. */
  taskTimeout?: Duration;
}

/**
 * One registry entry as a Step Functions STANDARD state machine (callbacks can wait for days;
 * Express cannot use `.waitForTaskToken`), each task an AppFunction. `DefinitionBody.fromString`
 * keeps the JSON file the single source the twin also runs, which means CDK cannot see which
 * functions the definition calls: invoke rights are granted here, one ARN per task.
 */
export class Workflow extends Construct {
  readonly spec: WorkflowSpec;
  readonly stateMachine: sfn.StateMachine;
  readonly functions: Record<string, AppFunction>;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;
    const definitionText = readDefinitionText(spec);
    const missing = missingSubstitutions(spec, definitionText).filter((key) => !(key in (props.substitutions ?? {})));
    if (missing.length > 0) throw new Error(`Workflow ${spec.name}: no value for \${${missing.join('}, ${')}}`);

    this.functions = Object.fromEntries(
      Object.entries(spec.tasks).map(([key, task]) => [
        key,
        new AppFunction(this, `Task${key}`, {
          entry: task.entry,
          serviceName: task.serviceName ?? `workflow-${spec.name}-${key}`,
          description: `Workflow ${spec.name}: task ${key}`,
          // The task's own variables point at files of its bundle: they win over the shared ones.
          environment: { ...props.environment, ...task.deployment?.bundling?.environment },
          timeout: task.deployment?.timeoutSeconds
            ? Duration.seconds(task.deployment.timeoutSeconds)
            : (props.taskTimeout ?? Duration.seconds(30)),
          memorySize: task.deployment?.memorySize,
          bundling: task.deployment?.bundling,
        }),
      ]),
    );

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps the CloudWatch Logs resource policy small (AWS recommendation).
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-${spec.name}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const definitionSubstitutions: Record<string, string> = { ...props.substitutions };
    for (const [key, fn] of Object.entries(this.functions)) definitionSubstitutions[key] = fn.function.functionArn;

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definitionText),
      definitionSubstitutions,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    // Unqualified ARNs only (the definition calls `$LATEST`): grantInvoke would add `arn:*`.
    const taskArns = Object.values(this.functions).map((fn) => fn.function.functionArn);
    if (taskArns.length > 0) {
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: taskArns }),
      );
    }

    NagSuppressions.addResourceSuppressions(
      this.stateMachine.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Added by CDK for logging level ALL and X-Ray tracing: logs:*LogDelivery*, logs:DescribeResourcePolicies/PutResourcePolicy and xray:PutTraceSegments/GetSampling* do not support resource-level permissions.',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
  }
}

/** Every registry entry as a Workflow; with the registry empty this adds nothing to the stack. */
export function addWorkflows(
  scope: Construct,
  options: Omit<WorkflowProps, 'spec'> & { workflows?: readonly WorkflowSpec[] } = {},
): Record<string, Workflow> {
  const { workflows = WORKFLOWS, ...props } = options;
  return Object.fromEntries(
    workflows.map((spec) => [spec.name, new Workflow(scope, `Workflow-${spec.name}`, { ...props, spec })]),
  );
}
