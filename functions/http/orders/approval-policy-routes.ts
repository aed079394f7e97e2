import * as z from 'zod';
import { ApprovalPolicyRulesSchema, ApprovalPolicySchema } from '../../../domain/orders/approval-policy';
import type { RouteSpec } from '../route';
import { CursorPageQuery, page } from '../schemas';

const VersionParams = z.strictObject({
  // Digits only: `1e0`, ` 1` or `0x1` are not version numbers (z.coerce would take them).
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'a version number (1, 2, 3…)')
    .transform(Number),
});

/** The order approval policy: read it, change it (a new version each time), read its history. */
export const approvalPolicyRoutes = [
  {
    operationId: 'getApprovalPolicy',
    method: 'GET',
    path: '/approval-policy',
    summary: 'Read the approval policy in force (version 0: the built-in default, never saved)',
    permission: 'approval_policy:read',
    response: ApprovalPolicySchema,
    successStatus: 200,
    returnsETag: true,
    mutates: false,
  },
  {
    operationId: 'replaceApprovalPolicy',
    method: 'PUT',
    path: '/approval-policy',
    summary: 'Replace the approval policy: saves it as the next version (history is kept)',
    description:
      'Send the whole policy without version, updatedAt and updatedBy, with If-Match set to the ETag read (`"0"` while the built-in default is in force). Orders already waiting for approval keep the steps planned at submission. Saving the policy in force unchanged creates no version.',
    permission: 'approval_policy:manage',
    body: ApprovalPolicyRulesSchema,
    response: ApprovalPolicySchema,
    successStatus: 200,
    requiresIfMatch: true,
    returnsETag: true,
    mutates: true,
  },
  {
    operationId: 'listApprovalPolicyVersions',
    method: 'GET',
    path: '/approval-policy/versions',
    summary: 'List the saved versions of the approval policy, newest first',
    permission: 'approval_policy:read',
    query: CursorPageQuery,
    response: page(ApprovalPolicySchema),
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getApprovalPolicyVersion',
    method: 'GET',
    path: '/approval-policy/versions/{version}',
    summary: 'Read one saved version of the approval policy',
    permission: 'approval_policy:read',
    params: VersionParams,
    response: ApprovalPolicySchema,
    successStatus: 200,
    mutates: false,
  },
] as const satisfies readonly RouteSpec[];
