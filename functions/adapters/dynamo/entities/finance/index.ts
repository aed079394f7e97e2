import { DealerCreditEntity } from './dealer-credit';
import { ReceivableEntity } from './receivable';

/** The finance entities, joined into the single-table service (../../service.ts). */
export const financeEntities = {
  dealerCredit: DealerCreditEntity,
  receivable: ReceivableEntity,
};
