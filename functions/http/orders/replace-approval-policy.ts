import { updateApprovalPolicy } from '../../../domain/orders/approval-policy';
import { approvalPolicyRepository } from '../../adapters/dynamo/approval-policy-repository';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { ordersContext } from './routes';

export const replaceApprovalPolicy: Implementation<typeof ordersContext, 'replaceApprovalPolicy'> = async (input) => {
  const policy = await updateApprovalPolicy(requestContext(input), approvalPolicyRepository, input.expectedVersion!, input.body);
  return { body: policy, version: policy.version };
};
