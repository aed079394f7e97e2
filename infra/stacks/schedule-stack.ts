import { Annotations, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import { MAIL_ENV, TWIN_MAIL_FROM } from '../../functions/adapters/email/mailer-factory';
import { SCHEDULES, type ScheduleSpec } from '../../functions/schedules/registry';
import { grantPutEvents, grantTableAccess } from '../constructs/data-access';
import { Schedules } from '../constructs/schedules';
import type { DataStack } from './data-stack';

export interface MailConfig {
  /** The sender, e.g. `DMS <alerts@example.com>`; its address or domain is a verified SES identity. */
  from: string;
  /** The SES identity to send as (an email address or a domain). @default the sender's domain */
  identity?: string;
  financeEmails?: string;
  warehouseEmails?: string;
}

export interface ScheduleStackProps extends StackProps {
  data: DataStack;
  enterpriseTimeZone: string;
  mail: MailConfig;
  /** @default SCHEDULES, the schedule table */
  schedules?: readonly ScheduleSpec[];
}

/** The bare address inside `Name <address>`. */
export function senderAddress(from: string): string {
  const address = (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address)) throw new Error(`mail sender "${from}" is not an email address`);
  return address;
}

/**
 * The stateless schedule stack: the schedule table on EventBridge Scheduler with its handlers.
 * Handlers read and write the main table (alert markers; the monthly credit run writes
 * evaluations) and publish to the bus; those that send email may call SES only as the configured
 * sender identity, with that From address.
 */
export class ScheduleStack extends Stack {
  readonly schedules: Schedules;

  constructor(scope: Construct, id: string, props: ScheduleStackProps) {
    super(scope, id, props);
    const { data, mail } = props;
    const address = senderAddress(mail.from);
    const identity = mail.identity ?? address.slice(address.indexOf('@') + 1);
    const identityArn = this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
    if (mail.from === TWIN_MAIL_FROM) {
      Annotations.of(this).addWarningV2('dms:demoMailFrom', `No sender configured (context dms:mailFrom or ${MAIL_ENV.from}): alerts would be sent as ${TWIN_MAIL_FROM}, which SES will refuse.`);
    }
    if (!mail.financeEmails || !mail.warehouseEmails) {
      Annotations.of(this).addWarningV2(
        'dms:alertRecipients',
        'No finance or warehouse recipients configured (context dms:financeEmails / dms:warehouseEmails): those digests are skipped.',
      );
    }

    const environment: Record<string, string> = {
      [ENV.tableName]: data.mainTable.tableName,
      [ENV.eventBusName]: data.eventBus.eventBusName,
      [ENV.enterpriseTimeZone]: props.enterpriseTimeZone,
      [MAIL_ENV.transport]: 'ses',
      [MAIL_ENV.from]: mail.from,
      ...(mail.financeEmails ? { [MAIL_ENV.financeEmails]: mail.financeEmails } : {}),
      ...(mail.warehouseEmails ? { [MAIL_ENV.warehouseEmails]: mail.warehouseEmails } : {}),
    };

    this.schedules = new Schedules(this, 'Schedules', {
      schedules: props.schedules ?? SCHEDULES,
      environment,
      defaultTimeZone: props.enterpriseTimeZone,
      grant: (spec, fn) => {
        grantTableAccess(fn.role, data.mainTableAccess, 'readwrite');
        grantPutEvents(fn.role, data.eventBus);
        if (spec.sendsEmail) {
          fn.role.addToPrincipalPolicy(
            new iam.PolicyStatement({
              actions: ['ses:SendEmail', 'ses:SendRawEmail'],
              resources: [identityArn],
              conditions: { StringEquals: { 'ses:FromAddress': address } },
            }),
          );
        }
      },
    });
  }
}
