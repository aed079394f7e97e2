import type { Mailer } from '../../../domain/alerts/ports';
import { OutboxMailer } from './outbox-mailer';
import { SesMailer } from './ses-mailer';

/**
 * Which mailer: `DMS_MAIL_TRANSPORT` = `ses` | `outbox`; by default SES on Lambda (the
 * deployed functions also set it explicitly) and the outbox anywhere else (the twin, tests).
 * The sender is `DMS_MAIL_FROM` (on AWS a verified SES identity).
 */
export const MAIL_ENV = {
  transport: 'DMS_MAIL_TRANSPORT',
  from: 'DMS_MAIL_FROM',
  financeEmails: 'DMS_FINANCE_EMAILS',
  warehouseEmails: 'DMS_WAREHOUSE_EMAILS',
} as const;

export const TWIN_MAIL_FROM = 'DMS 经销商管理系统 <dms-alerts@dms.example>';
/** The twin's recipients when none are configured (demo addresses; the outbox delivers nowhere). */
export const TWIN_FINANCE_EMAILS = ['finance@dms.example'];
export const TWIN_WAREHOUSE_EMAILS = ['warehouse@dms.example', 'purchasing@dms.example'];

export function mailTransport(env: Record<string, string | undefined> = process.env): 'ses' | 'outbox' {
  const configured = env[MAIL_ENV.transport];
  if (configured === 'ses' || configured === 'outbox') return configured;
  if (configured) throw new Error(`${MAIL_ENV.transport} must be ses or outbox, not ${configured}`);
  return env.AWS_LAMBDA_FUNCTION_NAME ? 'ses' : 'outbox';
}

export function createMailer(env: Record<string, string | undefined> = process.env): Mailer {
  if (mailTransport(env) === 'ses') {
    const from = env[MAIL_ENV.from];
    if (!from) throw new Error(`${MAIL_ENV.from} is not set: SES needs a verified sender`);
    return new SesMailer(from);
  }
  return new OutboxMailer(env[MAIL_ENV.from] || TWIN_MAIL_FROM);
}
