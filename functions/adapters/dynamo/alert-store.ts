import type { AlertMarkers } from '../../../domain/alerts/ports';
import type { DealerMailbox, OpenReceivable } from '../../../domain/alerts/payment-alerts';
import type { StockAlertLine } from '../../../domain/alerts/stock-alerts';
import { dms } from './service';

/**
 * Reads and markers of the scheduled alerts (functions/schedules/). Every read is a Query on an
 * index or a BatchGetItem by key — never a Scan.
 */

const MARKER_TTL_SECONDS = 400 * 86_400;

function isConditionalFailure(error: unknown): boolean {
  const e = error as { name?: string; cause?: { name?: string }; message?: string };
  return e.name === 'ConditionalCheckFailedException' || e.cause?.name === 'ConditionalCheckFailedException' || /conditional request failed/i.test(e.message ?? '');
}

async function claim(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}

export function dynamoAlertMarkers(now: () => Date = () => new Date()): AlertMarkers {
  return {
    claimAlert: (kind, objectId, date, detail) =>
      claim(() =>
        dms()
          .entities.alertMarker.create({
            kind,
            objectId,
            date,
            claimedAt: now().toISOString(),
            ...(detail ? { detail } : {}),
            expiresAt: Math.floor(now().getTime() / 1000) + MARKER_TTL_SECONDS,
          })
          .go({ response: 'none' }),
      ),
    claimDunning: (receivableId, level, date) =>
      claim(() => dms().entities.dunningMarker.create({ receivableId, level, date, claimedAt: now().toISOString() }).go({ response: 'none' })),
    sentDunning: async (keys) => {
      const found = await batchGet([...new Map(keys.map((k) => [`${k.receivableId}#${k.level}`, { receivableId: k.receivableId, level: k.level }])).values()], async (batch) => {
        const result = await dms().entities.dunningMarker.get(batch).go({ attributes: ['receivableId', 'level'], unprocessed: 'item' });
        return { data: result.data, unprocessed: result.unprocessed as { receivableId: string; level: number }[] };
      });
      return new Set(found.map((m) => `${m.receivableId}#${m.level}`));
    },
  };
}

/** The dunning levels sent for a receivable, lowest first, with their dates. */
export async function dunningHistory(receivableId: string): Promise<{ level: number; date: string }[]> {
  const result = await dms().entities.dunningMarker.query.byReceivable({ receivableId }).go({ pages: 'all' });
  return result.data.map((m) => ({ level: m.level, date: m.date })).sort((a, b) => a.level - b.level);
}

const RECEIVABLE_FIELDS = ['id', 'invoiceNumber', 'orderNumber', 'dealerId', 'currency', 'amount', 'paid', 'open', 'issueDate', 'dueDate', 'status'] as const;

/**
 * Open receivables of all dealers due before `dueBefore` (exclusive), oldest first: Queries on
 * gsi3 (partition `open`, sort key starting with the due date), only the fields the alerts use.
 */
export async function openReceivablesDueBefore(dueBefore: string): Promise<OpenReceivable[]> {
  const result = await dms()
    .entities.receivable.query.byDueDate({ openState: 'open' })
    .lt({ dueDate: dueBefore })
    .go({ pages: 'all', order: 'asc', attributes: [...RECEIVABLE_FIELDS] });
  return result.data as OpenReceivable[];
}

/** Batch reads by key (100 per call), unprocessed keys retried. */
async function batchGet<K extends object, T>(keys: K[], read: (keys: K[]) => Promise<{ data: T[]; unprocessed: K[] }>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 8) throw new Error('BatchGetItem kept returning unprocessed keys');
      const result = await read(pending);
      out.push(...result.data);
      pending = result.unprocessed;
    }
  }
  return out;
}

/** Strongly consistent re-read of receivables by id: those still open (the GSI may lag a payment). */
export async function stillOpenReceivables(ids: string[]): Promise<OpenReceivable[]> {
  if (ids.length === 0) return [];
  const items = await batchGet(
    [...new Set(ids)].map((id) => ({ id })),
    async (keys) => {
      const result = await dms().entities.receivable.get(keys).go({ consistent: true, attributes: [...RECEIVABLE_FIELDS], unprocessed: 'item' });
      return { data: result.data as OpenReceivable[], unprocessed: result.unprocessed as { id: string }[] };
    },
  );
  return items.filter((r) => r.open > 0 && (r.status === 'open' || r.status === 'partially_paid'));
}

export async function dealerMailboxes(ids: string[]): Promise<Map<string, DealerMailbox>> {
  if (ids.length === 0) return new Map();
  const items = await batchGet(
    [...new Set(ids)].map((id) => ({ id })),
    async (keys) => {
      const result = await dms().entities.dealer.get(keys).go({ attributes: ['id', 'code', 'name', 'contacts'], unprocessed: 'item' });
      return { data: result.data as unknown as DealerMailbox[], unprocessed: result.unprocessed as { id: string }[] };
    },
  );
  return new Map(items.map((d) => [d.id, { ...d, contacts: d.contacts ?? [] }]));
}

/** Every current stock alert (gsi1 `all`) with the quantities and thresholds of its level (BatchGet). */
export async function stockAlertLines(): Promise<StockAlertLine[]> {
  const alerts = (await dms().entities.stockAlert.query.all({}).go({ pages: 'all' })).data;
  if (alerts.length === 0) return [];
  const levels = await batchGet(
    [...new Map(alerts.map((a) => [`${a.locationCode}\u0000${a.sku}`, { locationCode: a.locationCode, sku: a.sku }])).values()],
    async (keys) => {
      const result = await dms().entities.stockLevel.get(keys).go({ unprocessed: 'item' });
      return { data: result.data, unprocessed: result.unprocessed as { locationCode: string; sku: string }[] };
    },
  );
  const byKey = new Map(levels.map((l) => [`${l.locationCode}\u0000${l.sku}`, l]));
  return alerts.flatMap((a) => {
    const level = byKey.get(`${a.locationCode}\u0000${a.sku}`);
    if (!level) return [];
    return [
      {
        locationCode: a.locationCode,
        sku: a.sku,
        kind: a.kind,
        region: a.region,
        since: a.since,
        onHand: level.onHand,
        reserved: level.reserved,
        available: level.onHand - level.reserved,
        ...(level.reorderPoint !== undefined ? { reorderPoint: level.reorderPoint } : {}),
        ...(level.overstockLevel !== undefined ? { overstockLevel: level.overstockLevel } : {}),
      },
    ];
  });
}
