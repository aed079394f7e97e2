import { ApprovalPolicyEntity } from './approval-policy';
import { ApprovalPolicyVersionEntity } from './approval-policy-version';

/** The approval policy entities, joined into the single-table service (../../service.ts). */
export const approvalsEntities = {
  approvalPolicy: ApprovalPolicyEntity,
  approvalPolicyVersion: ApprovalPolicyVersionEntity,
};
