import { runPaymentAlerts } from '../../domain/alerts/payment-alerts';
import { paymentAlertConfig } from './alerts-config';
import { paymentAlertPorts } from './runtime';
import { scheduleHandler } from './schedule-handler';

/** Schedule `payment-alerts`: dunning emails to dealers, then the receivables digest to finance (once per business date). */
export const handler = scheduleHandler('payment-alerts', (ctx, date) => runPaymentAlerts(paymentAlertPorts(ctx), paymentAlertConfig(), date));
