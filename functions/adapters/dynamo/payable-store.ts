import { canSee, listScope } from '../../../domain/access/object-scope';
import type { Principal } from '../../../domain/access/principal';
import { auditEntry, type RequestContext } from '../../../domain/audit/audit-entry';
import {
  approvePayable,
  cancelPayable,
  creditedAccount,
  newPayable,
  settlePayable,
  type CreatePayableInput,
  type Payable,
  type PayableListFilter,
  type SettlePayableInput,
} from '../../../domain/finance/payables';
import { balanceChange, type AccountEntry } from '../../../domain/finance/wallet';
import { ConflictError, NotFoundError, VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { dealerAccount, financeWriteItems } from './payment-store';
import { dms } from './service';
import { conditionFailed, writeTransaction } from './transaction';

/**
 * Payables on the single table (entities/payables/payable.ts). Every change is one transaction:
 * the payable under its version (create: must not exist) and its audit record; settling to a
 * dealer account adds the account's balance ADD and its ledger entry (financeWriteItems of
 * payment-store.ts, the wallet's one writer) to the same transaction.
 */

function clean(item: Record<string, unknown>): Payable {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined && v !== null)) as unknown as Payable;
}

async function read(id: string): Promise<Payable | undefined> {
  const result = await dms().entities.payable.get({ id }).go({ consistent: true });
  return result.data ? clean(result.data as Record<string, unknown>) : undefined;
}

async function visible(principal: Principal, id: string): Promise<Payable> {
  const payable = await read(id);
  if (!payable || !canSee(principal, payable)) throw new NotFoundError('Payable', id);
  return payable;
}

export async function getPayable(principal: Principal, id: string): Promise<Payable> {
  return visible(principal, id);
}

export async function createPayable(ctx: RequestContext, input: CreatePayableInput): Promise<Payable> {
  const dealer = (await dms().entities.dealer.get({ id: input.dealerId }).go({ consistent: true, attributes: ['id', 'region'] })).data;
  if (!dealer || !canSee(ctx.principal, { dealerId: dealer.id, region: dealer.region })) throw new NotFoundError('Dealer', input.dealerId);
  const payable = newPayable(ctx, input, { id: dealer.id, region: dealer.region });
  await writeTransaction(
    (entities) => [
      entities.payable.create(payable).commit(),
      entities.audit.create(auditItem(auditEntry(ctx, 'payable.created', { type: 'payable', id: payable.id }, undefined, payable))).commit(),
    ],
    (reasons) => (conditionFailed(reasons, 0) ? new ConflictError('payable_exists', `Payable ${payable.id} exists already.`) : undefined),
  );
  return payable;
}

/** Writes `next` over `current` (condition: the version read and, if given, the caller's If-Match). */
async function replace(ctx: RequestContext, current: Payable, next: Payable, action: string): Promise<Payable> {
  await writeTransaction(
    (entities) => [
      entities.payable
        .put(next)
        .where((attr, op) => op.eq(attr.version, current.version))
        .commit(),
      entities.audit.create(auditItem(auditEntry(ctx, action, { type: 'payable', id: next.id }, current, next))).commit(),
    ],
    (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError('Payable', current.id) : undefined),
  );
  return next;
}

function checkVersion(payable: Payable, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && payable.version !== expectedVersion) throw new VersionMismatchError('Payable', payable.id);
}

export async function approve(ctx: RequestContext, id: string, expectedVersion: number | undefined): Promise<Payable> {
  const current = await visible(ctx.principal, id);
  checkVersion(current, expectedVersion);
  return replace(ctx, current, approvePayable(current, ctx), 'payable.approved');
}

export async function cancel(ctx: RequestContext, id: string, expectedVersion: number | undefined, reason: string): Promise<Payable> {
  const current = await visible(ctx.principal, id);
  checkVersion(current, expectedVersion);
  return replace(ctx, current, cancelPayable(current, ctx, reason), 'payable.cancelled');
}

/** A concurrent move of the same balance fails the balance condition; re-read and try again a few times. */
const BALANCE_ATTEMPTS = 5;

/**
 * Settles an approved payable. `bank_payout` records the transfer; `account_credit` credits the
 * dealer's rebate account (rebates) or prepayment account (refunds, commissions) in the same
 * transaction: the balance ADD conditioned on the balance as read, the ledger entry (kind
 * `rebate` or `adjustment`, reference = the payable id), the payable and one audit record.
 */
export async function settle(ctx: RequestContext, id: string, expectedVersion: number | undefined, input: SettlePayableInput): Promise<Payable> {
  const current = await visible(ctx.principal, id);
  checkVersion(current, expectedVersion);
  if (input.method === 'bank_payout') return replace(ctx, current, settlePayable(current, ctx, input), 'payable.settled');

  for (let attempt = 1; ; attempt += 1) {
    const account = await dealerAccount(current.dealerId);
    if (!account) throw new NotFoundError('Dealer', current.dealerId);
    if (account.currency !== current.currency) {
      throw new ConflictError('currency_mismatch', `The dealer's accounts are in ${account.currency}; the payable is in ${current.currency}.`);
    }
    const target = creditedAccount(current.kind);
    const entryId = ctx.newId();
    const next = settlePayable(current, ctx, input, entryId);
    const change = balanceChange(account.balances, target, current.amount);
    const entry: AccountEntry = {
      dealerId: current.dealerId,
      id: entryId,
      account: target,
      currency: current.currency,
      amount: change.delta,
      balanceAfter: change.after,
      kind: current.kind === 'rebate' ? 'rebate' : 'adjustment',
      reference: current.id,
      reason: `${current.kind} ${current.reference}: ${current.reason}`.slice(0, 500),
      at: ctx.now.toISOString(),
      actorId: ctx.principal.userId,
    };
    const audit = auditEntry(ctx, 'payable.settled', { type: 'payable', id: current.id }, current, next);
    let balanceMoved = false;
    try {
      await writeTransaction(
        (entities) => [
          entities.payable
            .put(next)
            .where((attr, op) => op.eq(attr.version, current.version))
            .commit(),
          ...financeWriteItems(entities, { dealerId: current.dealerId, receivables: [], balance: { change, entry }, audit }).items,
        ],
        (reasons) => {
          if (conditionFailed(reasons, 0)) return new VersionMismatchError('Payable', current.id);
          if (conditionFailed(reasons, 1)) {
            balanceMoved = true;
            return new ConflictError('account_balance_changed', `The ${target} balance of dealer ${current.dealerId} moved meanwhile.`);
          }
          return undefined;
        },
      );
      return next;
    } catch (error) {
      if (balanceMoved && attempt < BALANCE_ATTEMPTS) continue;
      throw error;
    }
  }
}

/**
 * Newest first: a dealer's payables (gsi1; dealer principals always), one status (gsi2), or
 * all (gsi3); the other filters apply to the page, so a page may hold fewer than `limit`.
 */
export async function listPayables(principal: Principal, filter: PayableListFilter, page: { limit: number; cursor?: string }): Promise<{ items: Payable[]; nextCursor?: string }> {
  const scope = listScope(principal);
  let dealerId = filter.dealerId;
  if (scope.kind === 'dealer') {
    if (!scope.dealerId || (dealerId && dealerId !== scope.dealerId)) return { items: [] };
    dealerId = scope.dealerId;
  }
  const listKey = `payables:${JSON.stringify({ ...filter, dealerId })}`;
  const state = page.cursor ? decodeCursor<{ electro: string }>(page.cursor, listKey) : undefined;
  const entity = dms().entities.payable;
  const base: any = dealerId ? entity.query.byDealer({ dealerId }) : filter.status ? entity.query.byStatus({ status: filter.status }) : entity.query.all({});
  const clauses = (attr: any, op: any) => {
    const parts: string[] = [];
    if (filter.kind) parts.push(op.eq(attr.kind, filter.kind));
    if (filter.status && dealerId) parts.push(op.eq(attr.status, filter.status));
    if (scope.kind === 'regions') parts.push(scope.regions.length ? `(${scope.regions.map((r) => op.eq(attr.region, r)).join(' OR ')})` : op.eq(attr.region, '\u0000'));
    return parts.join(' AND ');
  };
  const filtered = filter.kind || (filter.status && dealerId) || scope.kind === 'regions' ? base.where(clauses) : base;
  const result: any = await withClientCursor(page.cursor, () => filtered.go({ order: 'desc', limit: page.limit, cursor: state?.electro ?? null }));
  return {
    items: (result.data as Record<string, unknown>[]).map(clean),
    ...(result.cursor ? { nextCursor: encodeCursor(listKey, { electro: result.cursor }) } : {}),
  };
}
