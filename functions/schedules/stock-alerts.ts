import { runStockAlerts } from '../../domain/alerts/stock-alerts';
import { stockAlertConfig } from './alerts-config';
import { stockAlertPorts } from './runtime';
import { scheduleHandler } from './schedule-handler';

/** Schedule `stock-alerts`: the digest of levels below reorder point / above overstock level (once per business date). */
export const handler = scheduleHandler('stock-alerts', (_ctx, date) => runStockAlerts(stockAlertPorts(), stockAlertConfig(), date));
