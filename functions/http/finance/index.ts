import { writeContextDependencies } from '../../adapters/http-dependencies';
import { httpHandler } from '../../shared/http-handler';
import { invoiceHandlers } from './invoices-handlers';
import { payableHandlers } from './payables-handlers';
import { paymentHandlers } from './payments-handlers';
import { financeReportHandlers } from './reports-handlers';
import { financeContext } from './routes';

export const handler = httpHandler(financeContext, { ...paymentHandlers, ...invoiceHandlers, ...payableHandlers, ...financeReportHandlers }, writeContextDependencies);
