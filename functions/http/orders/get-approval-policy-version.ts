import { approvalPolicyVersion } from '../../../domain/orders/approval-policy';
import { approvalPolicyRepository } from '../../adapters/dynamo/approval-policy-repository';
import type { Implementation } from '../route';
import type { ordersContext } from './routes';

export const getApprovalPolicyVersion: Implementation<typeof ordersContext, 'getApprovalPolicyVersion'> = async ({ params }) => {
  // No ETag: a past version is immutable and is not what an update must match.
  return { body: await approvalPolicyVersion(approvalPolicyRepository, params.version) };
};
