import { FinanceService } from '../../domain/finance/finance-service';
import { paymentStore } from './dynamo/payment-store';
import { ENV } from './dynamo/table-schema';

/** The finance context's composition: receivables, payments and dealer accounts over DynamoDB. */
let service: FinanceService | undefined;

export function finance(): FinanceService {
  service ??= new FinanceService(paymentStore, process.env[ENV.enterpriseTimeZone] ?? 'Asia/Shanghai');
  return service;
}
