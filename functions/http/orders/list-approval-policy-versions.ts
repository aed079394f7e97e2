import { approvalPolicyRepository } from '../../adapters/dynamo/approval-policy-repository';
import type { Implementation } from '../route';
import type { ordersContext } from './routes';

export const listApprovalPolicyVersions: Implementation<typeof ordersContext, 'listApprovalPolicyVersions'> = async ({ query }) => {
  const page = await approvalPolicyRepository.list({ limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  return { body: page };
};
