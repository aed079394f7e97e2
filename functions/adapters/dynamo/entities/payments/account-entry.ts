import { Entity } from 'electrodb';
import { ACCOUNT_ENTRY_KINDS, DEALER_ACCOUNTS } from '../../../../../domain/finance/wallet';

/**
 * The append-only ledger of a dealer's accounts (prepayment, deposit, rebate). Each entry is
 * created (never updated) in the same transaction as the ADD on the balance it explains
 * (dealerCredit.prepaymentBalance / depositBalance / rebateBalance), so Σ amount per account
 * equals the balance. Ids are ULIDs: the main index (pk dealerId, sk id) lists a dealer's
 * entries newest first; gsi1 (pk dealerId + account) lists one account's.
 */
export const AccountEntryEntity = new Entity({
  model: { entity: 'account_entry', version: '1', service: 'dms' },
  attributes: {
    dealerId: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    account: { type: DEALER_ACCOUNTS, required: true, readOnly: true },
    currency: { type: 'string', required: true, readOnly: true },
    amount: { type: 'number', required: true, readOnly: true },
    balanceAfter: { type: 'number', required: true, readOnly: true },
    kind: { type: ACCOUNT_ENTRY_KINDS, required: true, readOnly: true },
    reference: { type: 'string', required: true, readOnly: true },
    reason: { type: 'string', readOnly: true },
    paymentId: { type: 'string', readOnly: true },
    invoiceNumber: { type: 'string', readOnly: true },
    at: { type: 'string', required: true, readOnly: true },
    actorId: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byDealer: {
      pk: { field: 'pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'sk', composite: ['id'], casing: 'none' },
    },
    byAccount: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['dealerId', 'account'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['id'], casing: 'none' },
    },
  },
});
