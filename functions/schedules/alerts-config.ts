import { dunningPolicyFromEnv } from '../../domain/alerts/dunning';
import { emailList } from '../../domain/alerts/email';
import type { PaymentAlertConfig } from '../../domain/alerts/payment-alerts';
import { MAIL_ENV, TWIN_FINANCE_EMAILS, TWIN_WAREHOUSE_EMAILS, mailTransport } from '../adapters/email/mailer-factory';

/**
 * Configuration of the alert schedules, all from the environment:
 * - DMS_FINANCE_EMAILS / DMS_WAREHOUSE_EMAILS: comma-separated recipients (the twin falls back
 *   to demo addresses; on AWS an empty list skips the digest and says so in the run result);
 * - DMS_DUNNING_OFFSETS: dunning levels as day offsets from the due date (default -3,1,15,30);
 * - DMS_PAYMENT_LOOKAHEAD_DAYS: the digest's "due soon" window (default 7);
 * - DMS_DUNNING_CATCH_UP_DAYS: how late a level may still go out after missed runs (default 7).
 */
export const ALERT_ENV = { lookAheadDays: 'DMS_PAYMENT_LOOKAHEAD_DAYS', catchUpDays: 'DMS_DUNNING_CATCH_UP_DAYS' } as const;

function intEnv(env: Record<string, string | undefined>, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`${name} must be an integer 0…${max}, not ${raw}`);
  return value;
}

export function paymentAlertConfig(env: Record<string, string | undefined> = process.env): PaymentAlertConfig {
  const twin = mailTransport(env) === 'outbox';
  return {
    policy: dunningPolicyFromEnv(env),
    financeEmails: emailList(env[MAIL_ENV.financeEmails], twin ? TWIN_FINANCE_EMAILS : []),
    lookAheadDays: intEnv(env, ALERT_ENV.lookAheadDays, 7, 90),
    catchUpDays: intEnv(env, ALERT_ENV.catchUpDays, 7, 60),
  };
}

export function stockAlertConfig(env: Record<string, string | undefined> = process.env): { warehouseEmails: string[] } {
  const twin = mailTransport(env) === 'outbox';
  return { warehouseEmails: emailList(env[MAIL_ENV.warehouseEmails], twin ? TWIN_WAREHOUSE_EMAILS : []) };
}
