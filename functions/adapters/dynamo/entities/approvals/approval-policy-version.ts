import { Entity } from 'electrodb';
import { APPROVER_ROLES } from '../../../../../domain/orders/order';

/**
 * Every saved version of the approval policy, immutable (created with attribute_not_exists,
 * never updated). Access patterns: one version by number, all versions newest first — both in
 * the policy's own partition, the version zero-padded in the sort key so it sorts numerically.
 */
export const ApprovalPolicyVersionEntity = new Entity({
  model: { entity: 'approval_policy_version', version: '1', service: 'dms' },
  attributes: {
    policy: { type: ['order_approval'] as const, required: true, readOnly: true },
    version: { type: 'number', required: true, readOnly: true, padding: { length: 10, char: '0' } },
    currency: { type: 'string', required: true, readOnly: true },
    amountLevels: { type: 'any', required: true, readOnly: true },
    discountLevels: { type: 'any', required: true, readOnly: true },
    creditExcessRole: { type: APPROVER_ROLES, required: true, readOnly: true },
    overdueDebt: { type: 'any', required: true, readOnly: true },
    creditHoldRole: { type: APPROVER_ROLES, required: true, readOnly: true },
    stepTimeoutHours: { type: 'number', required: true, readOnly: true },
    onTimeout: { type: 'any', required: true, readOnly: true },
    updatedAt: { type: 'string', required: true, readOnly: true },
    updatedBy: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byVersion: {
      pk: { field: 'pk', composite: ['policy'], casing: 'none' },
      sk: { field: 'sk', composite: ['version'], casing: 'none' },
    },
  },
});
