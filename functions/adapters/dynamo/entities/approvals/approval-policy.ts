import { Entity } from 'electrodb';
import { APPROVER_ROLES } from '../../../../../domain/orders/order';

/**
 * The approval policy in force (one item). Written only together with its immutable version
 * item (./approval-policy-version.ts) and the audit record, conditional on `version`; absent
 * until an admin saves the first version (the built-in default applies meanwhile).
 */
export const ApprovalPolicyEntity = new Entity({
  model: { entity: 'approval_policy', version: '1', service: 'dms' },
  attributes: {
    /** Always `order_approval`: names the policy's partition, which also holds its versions. */
    policy: { type: ['order_approval'] as const, required: true, readOnly: true },
    version: { type: 'number', required: true },
    currency: { type: 'string', required: true },
    amountLevels: { type: 'any', required: true },
    discountLevels: { type: 'any', required: true },
    creditExcessRole: { type: APPROVER_ROLES, required: true },
    overdueDebt: { type: 'any', required: true },
    creditHoldRole: { type: APPROVER_ROLES, required: true },
    stepTimeoutHours: { type: 'number', required: true },
    onTimeout: { type: 'any', required: true },
    updatedAt: { type: 'string', required: true },
    updatedBy: { type: 'string', required: true },
  },
  indexes: {
    byPolicy: {
      pk: { field: 'pk', composite: ['policy'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
