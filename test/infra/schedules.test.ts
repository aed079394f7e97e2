import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SCHEDULES, awsCronExpression } from '../../functions/schedules/registry';
import { SCHEDULE_RETRY } from '../../infra/constructs/schedules';
import { buildApp } from '../../infra/stacks/build-app';
import { senderAddress } from '../../infra/stacks/schedule-stack';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
const appContext = {
  ...cdkJson.context,
  'aws:cdk:bundling-stacks': [],
  'dms:mailFrom': 'DMS 提醒 <alerts@mail.dms-corp.example>',
  'dms:financeEmails': 'finance@dms-corp.example',
  'dms:warehouseEmails': 'warehouse@dms-corp.example',
};
const { schedules } = buildApp(new App({ context: appContext }), { env: { account: '123456789012', region: 'ap-southeast-1' } });

const nagFindings = (() => {
  const annotations = Annotations.fromStack(schedules);
  const pattern = Match.stringLikeRegexp('AwsSolutions-.*');
  return [...annotations.findError('*', pattern), ...annotations.findWarning('*', pattern)].map((m) => `${m.id}: ${String(m.entry.data)}`);
})();
const template = Template.fromStack(schedules);

type Resource = { Type: string; Properties: Record<string, any> };
const resources = (type: string) => Object.entries(template.findResources(type) as Record<string, Resource>);

function policyStatementsOfRole(roleId: string): any[] {
  return resources('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

const functionRoleOf = (functionId: string): string => template.toJSON().Resources[functionId].Properties.Role['Fn::GetAtt'][0];

describe('schedule stack', () => {
  const scheduleResources = resources('AWS::Scheduler::Schedule');

  it('has one schedule per table row, each in an explicit time zone, with a retry policy and the DLQ', () => {
    expect(scheduleResources).toHaveLength(SCHEDULES.length);
    const [queueId] = resources('AWS::SQS::Queue').map(([id]) => id);
    for (const spec of SCHEDULES) {
      const [, schedule] = scheduleResources.find(([, s]) => s.Properties.Name === `dms-${spec.name}`)!;
      const p = schedule.Properties;
      expect(p.ScheduleExpression).toBe(awsCronExpression(spec.cron));
      expect(p.ScheduleExpressionTimezone).toBe(spec.timeZone ?? 'Asia/Shanghai');
      expect(p.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
      expect(p.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: SCHEDULE_RETRY.maximumRetryAttempts, MaximumEventAgeInSeconds: SCHEDULE_RETRY.maximumEventAgeInSeconds });
      expect(JSON.stringify(p.Target.DeadLetterConfig.Arn)).toContain(queueId);
      expect(JSON.parse(p.Target.Input)).toEqual({ schedule: spec.name, scheduledTime: '<aws.scheduler.scheduled-time>' });
    }
  });

  it('lets each schedule role invoke exactly its own handler', () => {
    const functions = resources('AWS::Lambda::Function');
    for (const [, schedule] of scheduleResources) {
      const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
      const targetId = schedule.Properties.Target.Arn['Fn::GetAtt'][0];
      expect(functions.map(([id]) => id)).toContain(targetId);
      const invoke = policyStatementsOfRole(roleId).filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
      expect(invoke).toHaveLength(1);
      expect(invoke[0].Resource).toEqual({ 'Fn::GetAtt': [targetId, 'Arn'] });
      const role = template.toJSON().Resources[roleId];
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
    }
  });

  it('keeps the dead-letter queue encrypted and TLS-only', () => {
    const [[queueId, queue]] = resources('AWS::SQS::Queue') as [[string, Resource]];
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const [, policy] = resources('AWS::SQS::QueuePolicy').find(([, p]) => JSON.stringify(p.Properties.Queues).includes(queueId))!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('scopes SES sending to the sender identity and From address, only for the handlers that email', () => {
    const functions = resources('AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME?.startsWith('dms-schedule-'));
    expect(functions).toHaveLength(SCHEDULES.length);
    for (const spec of SCHEDULES) {
      const [functionId, fn] = functions.find(([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === `dms-schedule-${spec.name}`)!;
      expect(fn.Properties.Environment.Variables).toMatchObject({ DMS_MAIL_TRANSPORT: 'ses', DMS_MAIL_FROM: 'DMS 提醒 <alerts@mail.dms-corp.example>', ENTERPRISE_TIME_ZONE: 'Asia/Shanghai' });
      const ses = policyStatementsOfRole(functionRoleOf(functionId)).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('ses:')));
      if (!spec.sendsEmail) {
        expect(ses).toHaveLength(0);
        continue;
      }
      expect(ses).toHaveLength(1);
      expect([ses[0].Action].flat().sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      expect(JSON.stringify(ses[0].Resource)).toContain(':ses:ap-southeast-1:123456789012:identity/mail.dms-corp.example');
      expect(JSON.stringify(ses[0].Resource)).not.toContain('*');
      expect(ses[0].Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'alerts@mail.dms-corp.example' } });
    }
  });

  it('never grants Scan to a schedule handler', () => {
    const all = resources('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
    expect(all).not.toContain('dynamodb:Scan');
    expect(all).not.toContain('ses:*');
  });

  it('passes cdk-nag (AwsSolutions) with no unsuppressed findings', () => {
    expect(nagFindings).toEqual([]);
  });

  it('parses the sender address', () => {
    expect(senderAddress('DMS <a@b.example>')).toBe('a@b.example');
    expect(senderAddress('a@b.example')).toBe('a@b.example');
    expect(() => senderAddress('nobody')).toThrow();
  });
});
