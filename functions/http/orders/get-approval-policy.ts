import { approvalPolicyRepository } from '../../adapters/dynamo/approval-policy-repository';
import type { Implementation } from '../route';
import type { ordersContext } from './routes';

export const getApprovalPolicy: Implementation<typeof ordersContext, 'getApprovalPolicy'> = async () => {
  const policy = await approvalPolicyRepository.current();
  return { body: policy, version: policy.version };
};
