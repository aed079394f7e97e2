import type { EntityItem } from 'electrodb';
import { addDays } from '../../../domain/shared/business-date';
import { ConflictError, DomainError, ValidationError } from '../../../domain/shared/errors';
import {
  MAX_SALES_ROWS,
  addMonths,
  mergeSalesRows,
  salesIncrements,
  type SalesCounterQuery,
  type SalesFacts,
  type SalesIncrement,
  type SalesRow,
  type SalesStatisticsReader,
} from '../../../domain/orders/sales-statistics';
import type { SalesCounterEntity } from './entities/sales/sales-counter';
import { dms, type DmsService } from './service';
import { conditionFailed, writeTransaction } from './transaction';

/**
 * TransactWriteItems takes at most 100 items: a chunk is its mark, for a reversal the check
 * that the booking's chunk was applied, and up to 98 counter increments. An order of 40 SKUs
 * makes 2 × (4 + 40) = 88 increments: one chunk.
 */
const INCREMENTS_PER_CHUNK = 98;
/** Items read per Query page. */
const QUERY_PAGE = 1000;

/** The chunk's mark exists: this recording was applied before. Never leaves this module. */
class ChunkAlreadyRecorded extends DomainError {
  constructor() {
    super('conflict', 'sales_already_recorded', 'This chunk of sales was recorded before.');
  }
}

function chunksOf<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Books (or reverses) an order's sales into the counters, exactly once per (orderId, kind):
 * each chunk of increments commits together with a mark created under attribute_not_exists,
 * so a retried or concurrently duplicated call skips what was applied and finishes the rest.
 * A reversal needs the booking first (the booking's mark of the same chunk must exist); it
 * fails with a 409-kind `sales_not_booked` otherwise, so an out-of-order reversal is retried
 * rather than driving the counters negative. No audit record: counters are derived data; the
 * order's approval or cancellation that moves them is the audited change.
 */
export async function recordSales(facts: SalesFacts): Promise<void> {
  const chunks = chunksOf(salesIncrements(facts), INCREMENTS_PER_CHUNK);
  const recordedAt = new Date().toISOString();
  for (const [chunk, increments] of chunks.entries()) {
    const mark = { orderId: facts.orderId, kind: facts.kind, chunk, orderNumber: facts.orderNumber, increments: increments.length, recordedAt };
    try {
      await writeTransaction(
        ({ salesMark, salesCounter }) => [
          salesMark.create(mark).commit(),
          ...(facts.kind === 'reversed'
            ? [salesMark.check({ orderId: facts.orderId, kind: 'booked', chunk }).where((attr, op) => op.exists(attr.orderId)).commit()]
            : []),
          ...increments.map((increment) => counterUpdate(salesCounter, increment)),
        ],
        (reasons) => {
          if (conditionFailed(reasons, 0)) return new ChunkAlreadyRecorded();
          if (facts.kind === 'reversed' && conditionFailed(reasons, 1)) {
            return new ConflictError('sales_not_booked', `The sales of order ${facts.orderNumber} cannot be reversed before they are booked.`);
          }
          return undefined;
        },
      );
    } catch (error) {
      if (!(error instanceof ChunkAlreadyRecorded)) throw error;
    }
  }
}

type WriteBuilder = Parameters<DmsService['transaction']['write']>[0];
type CounterEntity = Parameters<WriteBuilder>[0]['salesCounter'];

function counterUpdate(counter: CounterEntity, increment: SalesIncrement) {
  const { currency, granularity, region, dimension, period, key, label, orders, quantity, net, vat, gross } = increment;
  return counter
    .upsert({ currency, granularity, region, dimension, period, groupKey: key, ...(label !== undefined ? { label } : {}) })
    .add({ orders, quantity, net, vat, gross })
    .commit();
}

/** The first period after `period` (the exclusive upper bound of the key range). */
function nextPeriod(period: string, granularity: SalesCounterQuery['granularity']): string {
  return granularity === 'day' ? addDays(period, 1) : addMonths(period, 1);
}

function tooManyRows(): ValidationError {
  return new ValidationError(
    `The statistics would read more than ${MAX_SALES_ROWS} counters; narrow the range, pick a region or use month granularity.`,
    [{ path: 'query/from', message: 'range too wide for this grouping', code: 'too_many_rows' }],
    'too_many_rows',
  );
}

/**
 * One dimension's counters over a period range: one Query per region (a key range on
 * `period`, paginated here), summed across regions. The upper bound is the next period's
 * prefix, which sorts after every `<to>#<key>` sort key and before any of the next period.
 */
export async function querySales(query: SalesCounterQuery): Promise<SalesRow[]> {
  const counter = dms().entities.salesCounter;
  const rows: SalesRow[] = [];
  for (const region of new Set(query.regions)) {
    const range = counter.query
      .byPeriod({ currency: query.currency, granularity: query.granularity, region, dimension: query.dimension })
      .between({ period: query.from }, { period: nextPeriod(query.to, query.granularity) });
    const chain = query.key === undefined ? range : range.where((attr, op) => op.eq(attr.groupKey, query.key!));
    let cursor: string | null = null;
    do {
      const page: { data: EntityItem<typeof SalesCounterEntity>[]; cursor: string | null } = await chain.go({ limit: QUERY_PAGE, cursor });
      for (const item of page.data) {
        rows.push({
          period: item.period,
          key: item.groupKey,
          ...(item.label !== undefined ? { label: item.label } : {}),
          orders: item.orders,
          quantity: item.quantity,
          net: item.net,
          vat: item.vat,
          gross: item.gross,
        });
      }
      if (rows.length > MAX_SALES_ROWS) throw tooManyRows();
      cursor = page.cursor;
    } while (cursor);
  }
  return mergeSalesRows(rows);
}

/** The store as the domain's reader port. */
export const salesStatisticsStore: SalesStatisticsReader & { recordSales: typeof recordSales } = { querySales, recordSales };
