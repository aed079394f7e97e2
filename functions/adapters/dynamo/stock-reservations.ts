import { monotonicFactory } from 'ulid';
import type { Principal } from '../../../domain/access/principal';
import { auditEntry, type RequestContext } from '../../../domain/audit/audit-entry';
import type { Reservation, ReservationLine, ReservationPort } from '../../../domain/inventory/ports';
import { ConflictError, NotFoundError, ValidationError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { dms } from './service';
import { ledgerFailure, ledgerWrites, type LedgerChange, type TransactionEntities, type TransactionItem } from './stock-ledger';
import { conditionFailed, writeTransaction } from './transaction';

const newId = monotonicFactory();

/** Who acts when the port is called outside a request (a workflow task). */
const SYSTEM: Principal = { userId: 'system', username: 'system', roles: ['system'], regions: [], permissions: new Set(), scope: 'all' };

/** Merges lines naming the same (location, SKU): one transaction may touch an item only once. */
export function mergeLines(lines: ReservationLine[]): ReservationLine[] {
  const merged = new Map<string, ReservationLine>();
  for (const line of lines) {
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      throw new ValidationError('Reservation quantities are positive integers.', [{ path: 'lines', message: `${line.sku} at ${line.locationCode}: ${line.quantity}` }]);
    }
    const key = `${line.locationCode}\u0000${line.sku}`;
    const existing = merged.get(key);
    merged.set(key, existing ? { ...existing, quantity: existing.quantity + line.quantity } : { ...line });
  }
  return [...merged.values()];
}

function sameLines(a: ReservationLine[], b: ReservationLine[]): boolean {
  const key = (lines: ReservationLine[]) =>
    lines
      .map((l) => `${l.locationCode}/${l.sku}/${l.quantity}`)
      .sort()
      .join('|');
  return key(a) === key(b);
}

/** A reservation holds at most this many lines: 1 + 2 per line + the audit record stay within 100 items. */
export const MAX_RESERVATION_LINES = 48;

/**
 * The items of a new reservation, for a caller that writes it inside its own transaction (the
 * order and its reservation commit together): the reservation item first (create: a retry with
 * the same id fails there), then the ledger items. Map failures with `reservationFailure`.
 * Reservations change only `reserved`, never on-hand, so a stocktake freeze does not block them.
 */
export function reservationWrites(entities: TransactionEntities, reservation: Reservation, ctx: { actorId: string; at: string }): TransactionItem[] {
  return [
    entities.stockReservation.create(reservation).commit(),
    ...ledgerWrites(entities, reservationChanges(reservation), { actorId: ctx.actorId, at: ctx.at, newId, ignoreFreeze: true }),
  ];
}

export function reservationChanges(reservation: Reservation): LedgerChange[] {
  return reservation.lines.map((line) => ({
    locationCode: line.locationCode,
    sku: line.sku,
    onHandDelta: 0,
    reservedDelta: line.quantity,
    type: 'reservation',
    reference: reservation.id,
  }));
}

/** Maps the cancellation of a `reservationWrites` transaction (its items at `offset`). */
export function reservationFailure(reasons: Parameters<typeof ledgerFailure>[0], reservation: Reservation, offset = 0) {
  if (conditionFailed(reasons, offset)) return new ConflictError('reservation_exists', `Reservation ${reservation.id} already exists.`);
  return ledgerFailure(reasons, reservationChanges(reservation), { ignoreFreeze: true, offset: offset + 1 });
}

async function read(id: string): Promise<Reservation | undefined> {
  const result = await dms().entities.stockReservation.get({ id }).go({ consistent: true });
  return result.data ? (result.data as unknown as Reservation) : undefined;
}

function contextOf(ctx: RequestContext | undefined): RequestContext {
  return ctx ?? { principal: SYSTEM, requestId: `system-${newId()}`, now: new Date(), newId };
}

/** Releases and consumptions re-read the reservation when a concurrent change beat them. */
const MAX_RETRIES = 8;

/** Called after a committed change with the levels it touched (the composition settles threshold alerts there). */
export type AfterReservationChange = (ctx: RequestContext, levels: { locationCode: string; sku: string }[]) => Promise<void>;

/**
 * The reservation port on the stock ledger. Every operation is one transaction: the
 * reservation item, the level changes with their movements, and one audit record.
 */
export function createStockReservations(afterChange: AfterReservationChange = async () => {}): ReservationPort {
  return {
    get: read,

    async reserve(id, lines, options = {}) {
      const merged = mergeLines(lines);
      if (merged.length === 0 || merged.length > MAX_RESERVATION_LINES) {
        throw new ValidationError(`A reservation has 1–${MAX_RESERVATION_LINES} lines.`, [{ path: 'lines', message: `${merged.length} lines` }]);
      }
      const ctx = contextOf(options.ctx);
      const at = ctx.now.toISOString();
      const reservation: Reservation = {
        id,
        status: 'active',
        lines: merged.map((line) => ({ ...line, remaining: line.quantity })),
        consumedBy: [],
        ...(options.reference ? { reference: options.reference } : {}),
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const audit = auditEntry(ctx, 'stock.reserved', { type: 'stock_reservation', id }, undefined, reservation);
      try {
        await writeTransaction(
          (entities) => [...reservationWrites(entities, reservation, { actorId: ctx.principal.userId, at }), entities.audit.create(auditItem(audit)).commit()],
          (reasons) => reservationFailure(reasons, reservation),
        );
      } catch (error) {
        if (error instanceof ConflictError && error.code === 'reservation_exists') {
          // A retry of the same reservation finds it done; another reservation under this id is a conflict.
          const existing = await read(id);
          if (existing && sameLines(existing.lines, merged)) return existing;
        }
        throw error;
      }
      await afterChange(ctx, merged);
      return reservation;
    },

    async release(id, options = {}) {
      const ctx = contextOf(options.ctx);
      for (let attempt = 0; ; attempt += 1) {
        const current = await read(id);
        if (!current) throw new NotFoundError('Reservation', id);
        if (current.status !== 'active') return current;
        const at = ctx.now.toISOString();
        const next: Reservation = { ...current, status: 'released', lines: current.lines.map((l) => ({ ...l, remaining: 0 })), updatedAt: at, version: current.version + 1 };
        const changes: LedgerChange[] = current.lines
          .filter((l) => l.remaining > 0)
          .map((l) => ({ locationCode: l.locationCode, sku: l.sku, onHandDelta: 0, reservedDelta: -l.remaining, type: 'release', reference: id }));
        const audit = auditEntry(ctx, 'stock.released', { type: 'stock_reservation', id }, current, next);
        const stale = await attemptWrite(current, next, changes, audit, { ignoreFreeze: true, at, actorId: ctx.principal.userId });
        if (!stale) {
          await afterChange(ctx, changes);
          return next;
        }
        if (attempt >= MAX_RETRIES) throw new ConflictError('reservation_busy', `Reservation ${id} keeps changing; try again.`);
      }
    },

    async consume(id, shipmentId, lines, options = {}) {
      const ctx = contextOf(options.ctx);
      const wanted = mergeLines(lines);
      for (let attempt = 0; ; attempt += 1) {
        const current = await read(id);
        if (!current) throw new NotFoundError('Reservation', id);
        if (current.consumedBy.includes(shipmentId)) return current;
        if (current.status !== 'active') throw new ConflictError('reservation_closed', `Reservation ${id} is ${current.status}.`);
        const remaining = current.lines.map((l) => ({ ...l }));
        for (const line of wanted) {
          const held = remaining.find((l) => l.locationCode === line.locationCode && l.sku === line.sku);
          if (!held || held.remaining < line.quantity) {
            throw new ConflictError('exceeds_reservation', `Shipment ${shipmentId} takes ${line.quantity} of ${line.sku} at ${line.locationCode}; the reservation holds ${held?.remaining ?? 0}.`);
          }
          held.remaining -= line.quantity;
        }
        const at = ctx.now.toISOString();
        const next: Reservation = {
          ...current,
          lines: remaining,
          consumedBy: [...current.consumedBy, shipmentId],
          status: remaining.every((l) => l.remaining === 0) ? 'consumed' : 'active',
          updatedAt: at,
          version: current.version + 1,
        };
        // Shipping takes the goods off the shelf: on-hand and reserved both go down, available stays.
        const changes: LedgerChange[] = wanted.map((l) => ({
          locationCode: l.locationCode,
          sku: l.sku,
          onHandDelta: -l.quantity,
          reservedDelta: -l.quantity,
          type: 'shipment',
          reference: shipmentId,
          requireAvailable: false,
        }));
        const audit = auditEntry(ctx, 'stock.shipped', { type: 'stock_reservation', id }, current, next);
        const stale = await attemptWrite(current, next, changes, audit, { ignoreFreeze: false, at, actorId: ctx.principal.userId });
        if (!stale) {
          await afterChange(ctx, changes);
          return next;
        }
        if (attempt >= MAX_RETRIES) throw new ConflictError('reservation_busy', `Reservation ${id} keeps changing; try again.`);
      }
    },
  };
}

/** Without threshold settling (tests, tools); the composition root wires the real one. */
export const stockReservations = createStockReservations();

/** Writes the reservation's new state with its level changes; true when the reservation moved on meanwhile. */
async function attemptWrite(
  current: Reservation,
  next: Reservation,
  changes: LedgerChange[],
  audit: ReturnType<typeof auditEntry>,
  options: { ignoreFreeze: boolean; at: string; actorId: string },
): Promise<boolean> {
  const STALE = new ConflictError('reservation_stale', 'stale');
  try {
    await writeTransaction(
      (entities) => [
        entities.stockReservation
          .put(next)
          .where((attr, op) => op.eq(attr.version, current.version))
          .commit(),
        ...ledgerWrites(entities, changes, { actorId: options.actorId, at: options.at, newId, ignoreFreeze: options.ignoreFreeze }),
        entities.audit.create(auditItem(audit)).commit(),
      ],
      (reasons) => (conditionFailed(reasons, 0) ? STALE : ledgerFailure(reasons, changes, { ignoreFreeze: options.ignoreFreeze, offset: 1 })),
    );
    return false;
  } catch (error) {
    if (error === STALE) return true;
    throw error;
  }
}
