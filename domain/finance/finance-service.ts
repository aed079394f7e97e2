import { canSee, listScope } from '../access/object-scope';
import type { Principal } from '../access/principal';
import { auditEntry, type RequestContext } from '../audit/audit-entry';
import { isOpenReceivable, type Receivable, type ReceivableStatus } from '../credit/credit-profile';
import { businessDate, daysBetween } from '../shared/business-date';
import { ConflictError, NotFoundError, ValidationError, VersionMismatchError } from '../shared/errors';
import { ageReceivables, type AgingReport } from './aging';
import { allocateOldestFirst, applyToReceivable, MAX_ALLOCATIONS, restoreReceivable, validateExplicitAllocations, type AllocationPlan } from './allocation';
import { sameRequest, type Payment, type PostAccountEntryInput, type RecordPaymentInput, type SettleReceivableInput } from './payment';
import { BankReferenceTakenError, type DealerAccountState, type FinanceStore, type Page, type PageRequest, type ReceivableChange } from './ports';
import { balanceChange, type AccountEntry, type AccountEntryKind, type DealerAccount, type DealerAccountView } from './wallet';

/** A receivable as the API shows it: the stored fields plus whether it is past due today. */
export interface ReceivableView extends Receivable {
  overdue: boolean;
  /** Days past the due date (0 when not yet due or not open). */
  daysPastDue: number;
}

export function receivableView(receivable: Receivable, today: string): ReceivableView {
  const days = isOpenReceivable(receivable) ? Math.max(0, daysBetween(receivable.dueDate, today)) : 0;
  return { ...receivable, overdue: days > 0, daysPastDue: days };
}

export interface RecordedPayment {
  payment: Payment;
  /** True when the bank reference was booked already with the same content (nothing written). */
  replay: boolean;
}

export interface ReceivableQuery {
  dealerId?: string;
  status?: ReceivableStatus;
  dueFrom?: string;
  dueTo?: string;
}

/** Re-read-and-retry rounds when a concurrent change moved a receivable, the payment or a balance. */
const MAX_ATTEMPTS = 8;

/** The actor of automatic matching when the workflow issues an invoice. */
export const AUTO_MATCH_ACTOR = 'system:auto-match';

/**
 * Receivables, payments and dealer accounts (issue 5 §1–3). Object-level rules as everywhere:
 * a dealer principal sees only its own dealer's objects and region-scoped staff their regions;
 * anything else is a 404. Every change is ONE FinanceStore.commit (payment, receivables,
 * balance + ledger entry, exposure, audit), retried on a concurrent change.
 */
export class FinanceService {
  constructor(
    private readonly store: FinanceStore,
    private readonly timeZone = 'Asia/Shanghai',
  ) {}

  // ── receivables ──────────────────────────────────────────────────────────────

  async listReceivables(principal: Principal, query: ReceivableQuery, page: PageRequest, now: Date): Promise<Page<ReceivableView>> {
    const scope = listScope(principal);
    let dealerId = query.dealerId;
    if (scope.kind === 'dealer') {
      if (!scope.dealerId || (dealerId && dealerId !== scope.dealerId)) return { items: [] };
      dealerId = scope.dealerId;
    }
    if (query.dueFrom && query.dueTo && query.dueFrom > query.dueTo) return { items: [] };
    const result = await this.store.listReceivables(
      {
        ...(dealerId ? { dealerId } : {}),
        ...(scope.kind === 'regions' ? { regions: scope.regions } : {}),
        ...(query.status ? { statuses: [query.status] } : {}),
        ...(query.dueFrom ? { dueFrom: query.dueFrom } : {}),
        ...(query.dueTo ? { dueTo: query.dueTo } : {}),
      },
      page,
    );
    const today = this.today(now);
    return { ...result, items: result.items.filter((r) => canSee(principal, r)).map((r) => receivableView(r, today)) };
  }

  async getReceivable(principal: Principal, id: string, now: Date): Promise<ReceivableView> {
    return receivableView(await this.visibleReceivable(principal, id), this.today(now));
  }

  /**
   * Aging of the open receivables as of `asOf` (default today), per dealer and in total,
   * read from the due-date index (one dealer's partition, or all open receivables).
   */
  async aging(principal: Principal, query: { asOf?: string; dealerId?: string }, now: Date): Promise<AgingReport> {
    const asOf = query.asOf ?? this.today(now);
    const scope = listScope(principal);
    let dealerId = query.dealerId;
    if (scope.kind === 'dealer') {
      if (!scope.dealerId || (dealerId && dealerId !== scope.dealerId)) return ageReceivables([], asOf, 'CNY');
      dealerId = scope.dealerId;
    }
    const open = (await this.store.allOpen(dealerId)).filter((r) => canSee(principal, r) && r.issueDate <= asOf);
    const currencies = new Set(open.map((r) => r.currency));
    if (currencies.size > 1) throw new ConflictError('mixed_currencies', 'Open receivables are in several currencies; ask for one dealer at a time.');
    return ageReceivables(open, asOf, [...currencies][0] ?? 'CNY');
  }

  // ── payments ─────────────────────────────────────────────────────────────────

  /**
   * Records a payment and allocates it (explicitly, or oldest due first), crediting the rest to
   * the prepayment account, in one transaction. The same bank reference again answers with the
   * existing payment when the request matches it, else 409 `bank_reference_taken`.
   */
  async recordPayment(ctx: RequestContext, input: RecordPaymentInput): Promise<RecordedPayment> {
    const existing = await this.store.paymentByReference(input.bankReference);
    if (existing) return this.replayOf(ctx.principal, existing, input);
    const account = await this.visibleAccount(ctx.principal, input.dealerId);
    if (account.currency !== input.currency) {
      throw new ValidationError('The payment is not in the dealer’s currency.', [{ path: 'currency', message: `the dealer is billed in ${account.currency}`, code: 'currency_mismatch' }]);
    }
    const id = ctx.newId();
    for (let attempt = 1; ; attempt += 1) {
      const current = attempt === 1 ? account : await this.requiredAccount(input.dealerId);
      let plan: AllocationPlan;
      let read: Map<string, Receivable>;
      if (input.allocations) {
        read = await this.store.receivables(input.allocations.map((a) => a.invoiceNumber));
        plan = validateExplicitAllocations(input, input.allocations, read);
      } else {
        const open = await this.store.oldestOpen(input.dealerId, MAX_ALLOCATIONS);
        read = new Map(open.map((r) => [r.id, r]));
        plan = allocateOldestFirst(input.amount, open);
      }
      const at = ctx.now.toISOString();
      const payment: Payment = {
        id,
        dealerId: input.dealerId,
        region: current.region,
        currency: input.currency,
        amount: input.amount,
        valueDate: input.valueDate,
        method: input.method,
        bankReference: input.bankReference,
        ...(input.note ? { note: input.note } : {}),
        ...(input.allocations ? { requestedAllocations: input.allocations.map((a) => ({ invoiceNumber: a.invoiceNumber, amount: a.amount })) } : {}),
        allocations: plan.allocations,
        allocated: plan.allocated,
        toPrepayment: plan.remainder,
        status: 'recorded',
        createdAt: at,
        createdBy: ctx.principal.userId,
        updatedAt: at,
        version: 1,
      };
      const receivables: ReceivableChange[] = plan.allocations.map((a) => {
        const before = read.get(a.invoiceNumber)!;
        return { before, after: applyToReceivable(before, a.amount, at) };
      });
      try {
        await this.store.commit({
          dealerId: input.dealerId,
          paymentCreate: payment,
          receivables,
          ...(plan.remainder > 0
            ? { balance: this.move(ctx, current, 'prepayment', plan.remainder, 'payment', payment.id, { paymentId: payment.id, reason: `payment ${input.bankReference}` }) }
            : {}),
          ...(plan.allocated > 0 ? { openReceivablesDelta: -plan.allocated } : {}),
          audit: auditEntry(ctx, 'payment.recorded', { type: 'payment', id }, undefined, payment),
        });
        return { payment, replay: false };
      } catch (error) {
        if (error instanceof BankReferenceTakenError) {
          const winner = await this.store.paymentByReference(input.bankReference);
          if (winner) return this.replayOf(ctx.principal, winner, input);
        }
        if (!(error instanceof VersionMismatchError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async getPayment(principal: Principal, id: string): Promise<Payment> {
    const payment = await this.store.payment(id);
    if (!payment || !canSee(principal, payment)) throw new NotFoundError('Payment', id);
    return payment;
  }

  /** Payments by value date (newest first), of one dealer or all visible ones. */
  async listPayments(principal: Principal, query: { dealerId?: string; from?: string; to?: string }, page: PageRequest, now: Date): Promise<Page<Payment>> {
    const scope = listScope(principal);
    let dealerId = query.dealerId;
    if (scope.kind === 'dealer') {
      if (!scope.dealerId || (dealerId && dealerId !== scope.dealerId)) return { items: [] };
      dealerId = scope.dealerId;
    }
    const to = query.to ?? this.today(now);
    const from = query.from ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    if (from > to) return { items: [] };
    const result = await this.store.listPayments({ ...(dealerId ? { dealerId } : {}), ...(scope.kind === 'regions' ? { regions: scope.regions } : {}), from, to }, page);
    return { ...result, items: result.items.filter((p) => canSee(principal, p)) };
  }

  /**
   * Reverses a payment: each receivable gets its allocation back, the prepayment credit is
   * taken back (409 `insufficient_balance` when it was spent meanwhile), the exposure returns,
   * the payment becomes `reversed` — one transaction.
   */
  async reversePayment(ctx: RequestContext, id: string, reason: string): Promise<Payment> {
    for (let attempt = 1; ; attempt += 1) {
      const payment = await this.getPayment(ctx.principal, id);
      if (payment.status === 'reversed') throw new ConflictError('payment_reversed', `Payment ${id} is already reversed.`);
      const account = await this.requiredAccount(payment.dealerId);
      const read = await this.store.receivables(payment.allocations.map((a) => a.invoiceNumber));
      const at = ctx.now.toISOString();
      const receivables: ReceivableChange[] = payment.allocations.map((a) => {
        const before = read.get(a.invoiceNumber);
        if (!before) throw new ConflictError('receivable_changed', `Receivable ${a.invoiceNumber} no longer exists.`);
        return { before, after: restoreReceivable(before, a.amount, at) };
      });
      const next: Payment = { ...payment, status: 'reversed', reversal: { reason, at, by: ctx.principal.userId }, updatedAt: at, version: payment.version + 1 };
      try {
        await this.store.commit({
          dealerId: payment.dealerId,
          paymentUpdate: { next, expectedVersion: payment.version },
          receivables,
          ...(payment.toPrepayment > 0
            ? { balance: this.move(ctx, account, 'prepayment', -payment.toPrepayment, 'reversal', payment.id, { paymentId: payment.id, reason }) }
            : {}),
          ...(payment.allocated > 0 ? { openReceivablesDelta: payment.allocated } : {}),
          audit: auditEntry(ctx, 'payment.reversed', { type: 'payment', id }, payment, next),
        });
        return next;
      } catch (error) {
        if (!(error instanceof VersionMismatchError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  // ── dealer accounts ──────────────────────────────────────────────────────────

  async account(principal: Principal, dealerId: string): Promise<DealerAccountView> {
    return accountView(await this.visibleAccount(principal, dealerId));
  }

  async entries(principal: Principal, dealerId: string, page: PageRequest, account?: DealerAccount): Promise<Page<AccountEntry>> {
    await this.visibleAccount(principal, dealerId);
    return this.store.entries(dealerId, page, account);
  }

  /** A deposit or rebate posting by finance (signed); a debit never takes a balance below zero. */
  async postEntry(ctx: RequestContext, dealerId: string, input: PostAccountEntryInput): Promise<{ account: DealerAccountView; entry: AccountEntry }> {
    await this.visibleAccount(ctx.principal, dealerId);
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.requiredAccount(dealerId);
      const balance = this.move(ctx, current, input.account, input.amount, input.account, input.reference, { reason: input.reason });
      const before = accountView(current);
      const after: DealerAccountView = { ...before, balances: { ...before.balances, [input.account]: balance.change.after } };
      try {
        await this.store.commit({ dealerId, receivables: [], balance, audit: auditEntry(ctx, 'dealer_account.entry_posted', { type: 'dealer_account', id: dealerId }, before, after) });
        return { account: after, entry: balance.entry };
      } catch (error) {
        if (!(error instanceof VersionMismatchError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Pays (part of) a receivable from one of the dealer's accounts: the account is debited, the
   * receivable credited and the exposure moved, in one transaction.
   */
  async settle(ctx: RequestContext, receivableId: string, input: SettleReceivableInput): Promise<ReceivableView> {
    await this.visibleReceivable(ctx.principal, receivableId);
    for (let attempt = 1; ; attempt += 1) {
      const before = (await this.store.receivable(receivableId))!;
      const account = await this.requiredAccount(before.dealerId);
      const at = ctx.now.toISOString();
      const after = applyToReceivable(before, input.amount, at);
      const balance = this.move(ctx, account, input.account, -input.amount, 'settlement', receivableId, { invoiceNumber: receivableId });
      const today = this.today(ctx.now);
      try {
        await this.store.commit({
          dealerId: before.dealerId,
          receivables: [{ before, after }],
          balance,
          openReceivablesDelta: -input.amount,
          audit: auditEntry(ctx, 'receivable.settled', { type: 'receivable', id: receivableId }, receivableView(before, today), receivableView(after, today)),
        });
        return receivableView(after, today);
      } catch (error) {
        if (!(error instanceof VersionMismatchError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Applies the dealer's prepayment to a newly issued invoice: min(prepayment, open), ledger
   * kind `auto_match`. Once per invoice: the receivable is marked in the same transaction and
   * the write requires the mark to be absent, so a retried IssueInvoice task applies nothing
   * twice. Returns the amount applied (0 when nothing was).
   */
  async autoMatch(ctx: RequestContext, invoiceNumber: string): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      const before = await this.store.receivable(invoiceNumber);
      if (!before || before.autoMatchedAt || !isOpenReceivable(before) || before.open === 0) return 0;
      const account = await this.store.account(before.dealerId);
      if (!account || account.balances.prepayment <= 0 || account.currency !== before.currency) return 0;
      const amount = Math.min(account.balances.prepayment, before.open);
      const at = ctx.now.toISOString();
      const after: Receivable = { ...applyToReceivable(before, amount, at), autoMatchedAt: at };
      const today = this.today(ctx.now);
      try {
        await this.store.commit({
          dealerId: before.dealerId,
          receivables: [{ before, after }],
          autoMatch: true,
          balance: this.move(ctx, account, 'prepayment', -amount, 'auto_match', invoiceNumber, { invoiceNumber }),
          openReceivablesDelta: -amount,
          audit: auditEntry(ctx, 'receivable.auto_matched', { type: 'receivable', id: invoiceNumber }, receivableView(before, today), receivableView(after, today)),
        });
        return amount;
      } catch (error) {
        if (!(error instanceof VersionMismatchError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  // ── helpers ──────────────────────────────────────────────────────────────────

  private move(
    ctx: RequestContext,
    account: DealerAccountState,
    which: DealerAccount,
    delta: number,
    kind: AccountEntryKind,
    reference: string,
    extra: Partial<Pick<AccountEntry, 'reason' | 'paymentId' | 'invoiceNumber'>>,
  ) {
    const change = balanceChange(account.balances, which, delta);
    const entry: AccountEntry = {
      dealerId: account.dealerId,
      id: ctx.newId(),
      account: which,
      currency: account.currency,
      amount: delta,
      balanceAfter: change.after,
      kind,
      reference,
      ...extra,
      at: ctx.now.toISOString(),
      actorId: ctx.principal.userId,
    };
    return { change, entry };
  }

  private async replayOf(principal: Principal, existing: Payment, input: RecordPaymentInput): Promise<RecordedPayment> {
    if (!canSee(principal, existing) || !sameRequest(existing, input)) {
      throw new BankReferenceTakenError(input.bankReference);
    }
    return { payment: existing, replay: true };
  }

  private async visibleReceivable(principal: Principal, id: string): Promise<Receivable> {
    const receivable = await this.store.receivable(id);
    if (!receivable || !canSee(principal, receivable)) throw new NotFoundError('Receivable', id);
    return receivable;
  }

  private async visibleAccount(principal: Principal, dealerId: string): Promise<DealerAccountState> {
    const account = await this.store.account(dealerId);
    if (!account || !canSee(principal, account)) throw new NotFoundError('Dealer', dealerId);
    return account;
  }

  private async requiredAccount(dealerId: string): Promise<DealerAccountState> {
    const account = await this.store.account(dealerId);
    if (!account) throw new NotFoundError('Dealer', dealerId);
    return account;
  }

  private today(now: Date): string {
    return businessDate(now, this.timeZone);
  }
}

export function accountView(account: DealerAccountState): DealerAccountView {
  return { dealerId: account.dealerId, currency: account.currency, balances: { ...account.balances } };
}
