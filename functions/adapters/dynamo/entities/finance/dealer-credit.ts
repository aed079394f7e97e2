import { Entity } from 'electrodb';

/**
 * One credit profile per dealer (main index by dealer id; read only by key). The terms are
 * written by the credit use case (conditional on `version`); the counters only by atomic ADDs
 * (`exposureChange` in ../../credit-repository.ts) inside the order and invoice transactions,
 * which create the item with the default terms when it does not exist yet. Nothing but the key
 * is required, because the item may first be created by such an ADD; readers fill the defaults.
 * The region is not stored: it follows the dealer.
 */
export const DealerCreditEntity = new Entity({
  model: { entity: 'dealer_credit', version: '1', service: 'dms' },
  attributes: {
    dealerId: { type: 'string', required: true, readOnly: true },
    currency: { type: 'string' },
    creditLimit: { type: 'number' },
    paymentTermsDays: { type: 'number' },
    prepaymentBalance: { type: 'number' },
    /** Dealer accounts (issue 5): moved only by ADDs with their ledger entry (payment-store.ts). */
    depositBalance: { type: 'number' },
    rebateBalance: { type: 'number' },
    creditHold: { type: 'boolean' },
    creditHoldReason: { type: 'string' },
    openOrders: { type: 'number' },
    unbilledShipments: { type: 'number' },
    openReceivables: { type: 'number' },
    updatedAt: { type: 'string' },
    version: { type: 'number' },
  },
  indexes: {
    byDealer: {
      pk: { field: 'pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
