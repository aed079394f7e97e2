import type { RequestContext } from '../../domain/audit/audit-entry';
import type { PaymentAlertPorts } from '../../domain/alerts/payment-alerts';
import type { Mailer } from '../../domain/alerts/ports';
import type { StockAlertPorts } from '../../domain/alerts/stock-alerts';
import { dealerMailboxes, dynamoAlertMarkers, openReceivablesDueBefore, stillOpenReceivables, stockAlertLines } from '../adapters/dynamo/alert-store';
import { reviewCreditHolds } from '../adapters/credit-runtime';
import { createMailer } from '../adapters/email/mailer-factory';
import { runtime } from '../adapters/runtime';

/** The composition of the alert schedules: DynamoDB reads and markers, the mailer of the environment. */
let mailerOverride: Mailer | undefined;
let mailer: Mailer | undefined;

/** Tests and the bench may capture mail instead of writing the outbox. */
export function configureScheduleMailer(override: Mailer | undefined): void {
  mailerOverride = override;
  mailer = undefined;
}

function currentMailer(): Mailer {
  return mailerOverride ?? (mailer ??= createMailer());
}

/** `ctx` is the run's context: the credit-hold review writes its audit records as the scheduler. */
export function paymentAlertPorts(ctx: RequestContext): PaymentAlertPorts {
  return {
    openReceivablesDueBefore,
    stillOpen: stillOpenReceivables,
    dealers: dealerMailboxes,
    creditHolds: async (today) => (await reviewCreditHolds(ctx, today)).map((hold) => ({ dealerId: hold.dealerId, reason: hold.reason })),
    markers: dynamoAlertMarkers(() => runtime().now()),
    mailer: { send: (message) => currentMailer().send(message) },
  };
}

export function stockAlertPorts(): StockAlertPorts {
  return {
    stockAlertLines,
    markers: dynamoAlertMarkers(() => runtime().now()),
    mailer: { send: (message) => currentMailer().send(message) },
  };
}
