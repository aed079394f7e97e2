import { getApprovalPolicy } from './get-approval-policy';
import { getApprovalPolicyVersion } from './get-approval-policy-version';
import { listApprovalPolicyVersions } from './list-approval-policy-versions';
import { replaceApprovalPolicy } from './replace-approval-policy';

/** Implementations of approvalPolicyRoutes, keyed by operationId. */
export const approvalPolicyHandlers = {
  getApprovalPolicy,
  replaceApprovalPolicy,
  listApprovalPolicyVersions,
  getApprovalPolicyVersion,
};
