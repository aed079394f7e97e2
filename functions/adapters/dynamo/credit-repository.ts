import { CreditService } from '../../../domain/credit/credit-service';
import {
  DEFAULT_CREDIT_TERMS,
  DEFAULT_PROFILE_VERSION,
  EXPOSURE_COUNTERS,
  defaultCreditProfile,
  type CreditProfile,
  type ExposureDeltas,
} from '../../../domain/credit/credit-profile';
import type { CreditProfileRepository } from '../../../domain/credit/ports';
import { NotFoundError, VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { receivableReader } from './receivables';
import { creditManagementStore } from './credit-management-store';

// The receivable items and reads live in receivables.ts; re-exported so the order and invoice
// code finds every credit-related transaction item in one module.
export { getReceivable, listReceivables, overdueSummary, receivableCreate, receivableVoid } from './receivables';
import { dms } from './service';
import type { TransactionEntities, TransactionItem } from './stock-ledger';
import { conditionFailed, writeTransaction } from './transaction';

/**
 * Dealer credit profiles in the single table (entities/finance/dealer-credit.ts).
 *
 * The exposure counters move only through `exposureChange`, an item the order and invoice code
 * put into THEIR transactions, so a counter always moves together with the document change that
 * causes it:
 *
 *   await writeTransaction(
 *     (entities) => [
 *       entities.order.put(...).commit(),
 *       exposureChange(entities, order.dealerId, { openOrders: order.totals.gross }),
 *       entities.audit.create(auditItem(entry)).commit(),
 *     ],
 *     explain,
 *   );
 */

/**
 * Transaction item adding `deltas` (分, integers, negative to lower) to the dealer's exposure
 * counters with an atomic ADD. An upsert: when the profile item does not exist yet it is created
 * with the default terms (if_not_exists), so the first order of a dealer whose terms were never
 * set needs no preceding write. It does not touch `version` or `updatedAt` of an existing
 * profile (those track the terms), and it has no condition of its own — concurrent changes sum
 * exactly; a concurrent transaction on the same profile only makes DynamoDB cancel one with
 * TransactionConflict, which writeTransaction retries. One item per transaction per dealer:
 * merge the deltas of a change first.
 */
export function exposureChange(entities: TransactionEntities, dealerId: string, deltas: ExposureDeltas): TransactionItem {
  const add: ExposureDeltas = {};
  for (const counter of EXPOSURE_COUNTERS) {
    const delta = deltas[counter];
    if (delta === undefined) continue;
    if (!Number.isSafeInteger(delta)) throw new Error(`exposureChange: ${counter} must be an integer amount in 分 (got ${delta})`);
    add[counter] = delta;
  }
  if (Object.keys(add).length === 0) throw new Error('exposureChange: name at least one counter to move');
  return entities.dealerCredit
    .upsert({ dealerId })
    .add(add)
    .ifNotExists({ ...DEFAULT_CREDIT_TERMS, version: DEFAULT_PROFILE_VERSION })
    .commit();
}

type DealerCreditItem = Partial<Omit<CreditProfile, 'region'>> & { dealerId: string };

/** The stored item over the dealer's default profile: anything the item lacks is the default. */
function toProfile(item: DealerCreditItem | null, dealer: { id: string; region: string; createdAt: string }): CreditProfile {
  const profile = defaultCreditProfile(dealer);
  if (!item) return profile;
  const { dealerId: _dealerId, ...stored } = item;
  const merged: CreditProfile = { ...profile, ...Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== undefined && v !== null)) };
  if (!merged.creditHold) delete merged.creditHoldReason;
  return merged;
}

/**
 * The dealer's profile, read consistently (counters included), with the dealer's current region;
 * the default profile (version 1) when none is stored. Undefined when the dealer does not exist.
 * The profile and the dealer are two GetItems in parallel.
 */
export async function findCreditProfile(dealerId: string): Promise<CreditProfile | undefined> {
  const [credit, dealer] = await Promise.all([
    dms().entities.dealerCredit.get({ dealerId }).go({ consistent: true }),
    dms().entities.dealer.get({ id: dealerId }).go({ consistent: true, attributes: ['id', 'region', 'createdAt'] }),
  ]);
  if (!dealer.data) return undefined;
  return toProfile(credit.data as DealerCreditItem | null, dealer.data as { id: string; region: string; createdAt: string });
}

/** As `findCreditProfile`, for callers that know the dealer exists: NotFoundError otherwise. */
export async function getCreditProfile(dealerId: string): Promise<CreditProfile> {
  const profile = await findCreditProfile(dealerId);
  if (!profile) throw new NotFoundError('Dealer', dealerId);
  return profile;
}

/**
 * Transaction item writing the terms of `next` (never the counters nor the prepayment balance) if the stored version is
 * still `expectedVersion` — a profile never stored, or stored by an exposure change only, counts
 * as the default's version 1. A failed condition cancels the transaction at this item's position.
 */
export function termsUpdateItem(entities: TransactionEntities, next: CreditProfile, expectedVersion: number): TransactionItem {
  return entities.dealerCredit
    .update({ dealerId: next.dealerId })
    .data((attr, op) => {
      op.set(attr.currency, next.currency);
      op.set(attr.creditLimit, next.creditLimit);
      op.set(attr.paymentTermsDays, next.paymentTermsDays);
      // The prepayment balance belongs to the dealer account ledger (moved by ADDs there):
      // writing the value read here would overwrite a concurrent ledger move.
      op.ifNotExists(attr.prepaymentBalance, 0);
      op.set(attr.creditHold, next.creditHold);
      if (next.creditHoldReason) op.set(attr.creditHoldReason, next.creditHoldReason);
      else op.remove(attr.creditHoldReason);
      op.set(attr.updatedAt, next.updatedAt);
      op.set(attr.version, next.version);
      // The counters are never written here; a new item starts them at zero.
      for (const counter of EXPOSURE_COUNTERS) op.ifNotExists(attr[counter], 0);
    })
    .where((attr, op) =>
      expectedVersion === DEFAULT_PROFILE_VERSION
        ? `(${op.notExists(attr.version)} OR ${op.eq(attr.version, expectedVersion)})`
        : op.eq(attr.version, expectedVersion),
    )
    .commit();
}

export const creditRepository: CreditProfileRepository = {
  find: findCreditProfile,

  async updateTerms(next, expectedVersion, audit) {
    await writeTransaction(
      (entities) => [termsUpdateItem(entities, next, expectedVersion), entities.audit.create(auditItem(audit)).commit()],
      (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError('Credit profile of dealer', next.dealerId) : undefined),
    );
  },
};

/**
 * The credit use cases over the DynamoDB adapters, built on first use. (Composition for the
 * dealers context's credit routes; it belongs with the other *-runtime.ts files.)
 */
let service: CreditService | undefined;

export function creditService(): CreditService {
  service ??= new CreditService(creditRepository, receivableReader, creditManagementStore);
  return service;
}
