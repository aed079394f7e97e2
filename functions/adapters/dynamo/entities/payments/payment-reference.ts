import { Entity } from 'electrodb';

/**
 * Uniqueness of a bank reference (银行流水号) across all payments: created with the payment in
 * one transaction (the create's condition fails when the reference is taken), so the same
 * bank receipt can never be booked twice, whatever the Idempotency-Key.
 */
export const PaymentReferenceEntity = new Entity({
  model: { entity: 'payment_reference', version: '1', service: 'dms' },
  attributes: {
    bankReference: { type: 'string', required: true, readOnly: true },
    paymentId: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byReference: {
      pk: { field: 'pk', composite: ['bankReference'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
