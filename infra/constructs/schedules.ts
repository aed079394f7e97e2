import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { awsCronExpression, type ScheduleSpec } from '../../functions/schedules/registry';
import { AppFunction } from './app-function';

/** How often and for how long Scheduler retries a failed invocation before the DLQ gets it. */
export const SCHEDULE_RETRY = { maximumRetryAttempts: 4, maximumEventAgeInSeconds: 2 * 3600 } as const;

export interface SchedulesProps {
  schedules: readonly ScheduleSpec[];
  /** Environment of every handler (table, bus, time zone, mail configuration). */
  environment: Record<string, string>;
  /** Used by rows without their own zone. */
  defaultTimeZone: string;
  /** Called per handler to grant what it touches (table, bus, SES). */
  grant: (spec: ScheduleSpec, fn: AppFunction) => void;
}

/**
 * Each row of the schedule table (functions/schedules/registry.ts) as an EventBridge Scheduler
 * schedule: `cron(...)` in an explicit time zone, no flexible window, a retry policy, failed
 * deliveries to one encrypted, TLS-only dead-letter queue, and a role of its own that may invoke
 * exactly its handler (an AppFunction). The input carries `<aws.scheduler.scheduled-time>`, so a
 * retried invocation computes the same business date as the first and the alert markers make
 * it send nothing twice.
 */
export class Schedules extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly functions: Record<string, AppFunction> = {};
  readonly schedules: Record<string, scheduler.CfnSchedule> = {};

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(this.deadLetterQueue, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the schedules; operators alarm on and inspect it.' },
    ]);

    for (const spec of props.schedules) {
      const key = spec.name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
      const fn = new AppFunction(this, `${key}Handler`, {
        entry: spec.entry,
        serviceName: `dms-schedule-${spec.name}`,
        description: spec.description,
        environment: props.environment,
        timeout: Duration.seconds(spec.timeoutSeconds ?? 300),
      });
      props.grant(spec, fn);
      this.functions[spec.name] = fn;

      const role = new iam.Role(this, `${key}SchedulerRole`, {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
        description: `EventBridge Scheduler: invokes the ${spec.name} handler only`,
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.function.functionArn] }));
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));

      this.schedules[spec.name] = new scheduler.CfnSchedule(this, `${key}Schedule`, {
        name: `dms-${spec.name}`,
        description: spec.description,
        scheduleExpression: awsCronExpression(spec.cron),
        scheduleExpressionTimezone: spec.timeZone ?? props.defaultTimeZone,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: fn.function.functionArn,
          roleArn: role.roleArn,
          input: JSON.stringify({ schedule: spec.name, scheduledTime: '<aws.scheduler.scheduled-time>' }),
          retryPolicy: { ...SCHEDULE_RETRY },
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
      });
    }
  }
}
