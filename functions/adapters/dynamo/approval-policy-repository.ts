import type { Page } from '../../../domain/dealers/ports';
import { DEFAULT_APPROVAL_POLICY, normalizePolicy, type ApprovalPolicy, type ApprovalPolicyStore } from '../../../domain/orders/approval-policy';
import { VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { dms } from './service';
import { conditionFailed, writeTransaction } from './transaction';

/** The one policy there is; the key attribute of both entities. */
const POLICY = 'order_approval' as const;

function toPolicy(item: Record<string, unknown>): ApprovalPolicy {
  // DynamoDB keeps no key order in maps: put the keys back in the model's order.
  const { policy: _policy, ...policy } = item;
  return normalizePolicy(policy as unknown as ApprovalPolicy);
}

function itemOf(policy: ApprovalPolicy) {
  return {
    policy: POLICY,
    version: policy.version,
    currency: policy.currency,
    amountLevels: policy.amountLevels,
    discountLevels: policy.discountLevels,
    creditExcessRole: policy.creditExcessRole,
    overdueDebt: policy.overdueDebt,
    creditHoldRole: policy.creditHoldRole,
    stepTimeoutHours: policy.stepTimeoutHours,
    onTimeout: policy.onTimeout,
    updatedAt: policy.updatedAt,
    updatedBy: policy.updatedBy,
  };
}

interface VersionCursor {
  electro: string;
}

/**
 * The approval policy on the main table: one "current" item (the version in force, replaced
 * conditionally on its version) and one immutable item per version, in the same partition.
 */
export const approvalPolicyRepository: ApprovalPolicyStore = {
  async current() {
    // Strongly consistent: the ETag a client reads right after saving must be the new one.
    const result = await dms().entities.approvalPolicy.get({ policy: POLICY }).go({ consistent: true });
    return result.data ? toPolicy(result.data) : structuredClone(DEFAULT_APPROVAL_POLICY);
  },

  async version(n) {
    const result = await dms().entities.approvalPolicyVersion.get({ policy: POLICY, version: n }).go();
    return result.data ? toPolicy(result.data) : undefined;
  },

  async list(page: { limit: number; cursor?: string }): Promise<Page<ApprovalPolicy>> {
    const cursor = page.cursor ? decodeCursor<VersionCursor>(page.cursor, 'approval_policy_versions') : undefined;
    const result = await withClientCursor(cursor?.electro, () =>
      dms().entities.approvalPolicyVersion.query.byVersion({ policy: POLICY }).go({ order: 'desc', count: page.limit, cursor: cursor?.electro ?? null }),
    );
    return {
      items: result.data.map((item) => toPolicy(item)),
      ...(result.cursor ? { nextCursor: encodeCursor('approval_policy_versions', { electro: result.cursor }) } : {}),
    };
  },

  async replace(next, expectedVersion, audit) {
    const item = itemOf(next);
    await writeTransaction(
      ({ approvalPolicy, approvalPolicyVersion, audit: auditRecords }) => [
        // Version 0 is the built-in default: nothing is stored yet, so the first save creates.
        expectedVersion === 0
          ? approvalPolicy.create(item).commit()
          : approvalPolicy.put(item).where((attr, op) => op.eq(attr.version, expectedVersion)).commit(),
        // A version is written once: a second writer of the same number fails here too.
        approvalPolicyVersion.create(item).commit(),
        auditRecords.create(auditItem(audit)).commit(),
      ],
      (reasons) => (conditionFailed(reasons, 0) || conditionFailed(reasons, 1) ? new VersionMismatchError('Approval policy', 'current') : undefined),
    );
  },
};
