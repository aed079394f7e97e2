import { AccountEntryEntity } from './account-entry';
import { PaymentEntity } from './payment';
import { PaymentReferenceEntity } from './payment-reference';

/** The payments entities, joined into the single-table service (../../service.ts). */
export const paymentsEntities = {
  payment: PaymentEntity,
  paymentReference: PaymentReferenceEntity,
  accountEntry: AccountEntryEntity,
};
