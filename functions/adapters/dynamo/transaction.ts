import type { DomainError } from '../../../domain/shared/errors';
import { dms, type DmsService } from './service';

export interface CancellationReason {
  rejected: boolean;
  code: string;
  message?: string;
}

type WriteBuilder = Parameters<DmsService['transaction']['write']>[0];

const MAX_CONFLICT_RETRIES = 6;

/**
 * Runs one TransactWriteItems. A cancellation caused by a condition is handed to `explain`,
 * which turns it into the domain error the caller should see (the reasons come back in the
 * order of the items). Cancellations caused only by a concurrent transaction on the same items
 * (`TransactionConflict`) are retried with jittered backoff: the SDK does not retry those, and
 * after the other transaction commits, a retry either succeeds or fails on its condition.
 */
export async function writeTransaction(
  build: WriteBuilder,
  explain: (reasons: CancellationReason[]) => DomainError | undefined,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const result = await dms().transaction.write(build).go();
    if (!result.canceled) return;
    const reasons = result.data as unknown as CancellationReason[];
    const onlyConflicts = reasons.every((r) => r.code === 'None' || r.code === 'TransactionConflict');
    if (onlyConflicts && attempt < MAX_CONFLICT_RETRIES) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
      continue;
    }
    const error = explain(reasons);
    if (error) throw error;
    throw new Error(`Transaction canceled: ${reasons.map((r) => r.code).join(', ')}`);
  }
}

export function conditionFailed(reasons: CancellationReason[], index: number): boolean {
  return reasons[index]?.code === 'ConditionalCheckFailed';
}
