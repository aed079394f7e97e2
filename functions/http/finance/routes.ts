import { defineContext } from '../route';
import { invoiceRoutes } from './invoices-routes';
import { payableRoutes } from './payables-routes';
import { paymentRoutes } from './payments-routes';
import { financeReportRoutes } from './reports-routes';

/** Finance: receivables and aging, payments and allocations, dealer accounts, payables, invoices, financial reports. */
export const financeContext = defineContext({
  name: 'finance',
  resources: { mainTable: 'readwrite', idempotencyTable: true, eventBus: true, documents: 'read' },
  routes: [...paymentRoutes, ...invoiceRoutes, ...payableRoutes, ...financeReportRoutes],
});
