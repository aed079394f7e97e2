import type { AlertKind } from '../inventory/stock';
import { renderEmail, type EmailMessage } from './email';
import type { AlertMarkers, Mailer } from './ports';

/**
 * The daily stock digest to warehouse and purchasing: every level currently below its reorder
 * point (with a suggested reorder quantity) or above its overstock level, from the stock alert
 * items the inventory context keeps (one per level and kind while the level is past it).
 */
export interface StockAlertLine {
  locationCode: string;
  sku: string;
  kind: AlertKind;
  region: string;
  since: string;
  onHand: number;
  reserved: number;
  available: number;
  reorderPoint?: number;
  overstockLevel?: number;
}

/**
 * What to order for a level below its reorder point: enough to bring available stock up to the
 * target — the overstock level, or twice the reorder point when none is set — but never so much
 * that on-hand would rise above the overstock level on receipt. Never negative.
 */
export function suggestedReorderQuantity(level: Pick<StockAlertLine, 'onHand' | 'available' | 'reorderPoint' | 'overstockLevel'>): number {
  if (level.reorderPoint === undefined) return 0;
  const target = level.overstockLevel ?? 2 * level.reorderPoint;
  let quantity = target - level.available;
  if (level.overstockLevel !== undefined) quantity = Math.min(quantity, level.overstockLevel - level.onHand);
  return Math.max(0, quantity);
}

export interface StockDigest {
  date: string;
  below: (StockAlertLine & { suggested: number })[];
  above: (StockAlertLine & { excess: number })[];
}

/**
 * Lines re-checked against the level as read: an alert item whose level has moved back inside
 * its thresholds since (the alert settles just after the movement) is left out.
 */
export function buildStockDigest(date: string, lines: readonly StockAlertLine[]): StockDigest {
  const order = (a: StockAlertLine, b: StockAlertLine) => a.locationCode.localeCompare(b.locationCode) || a.sku.localeCompare(b.sku);
  const below = lines
    .filter((l) => l.kind === 'below_reorder_point' && l.reorderPoint !== undefined && l.available < l.reorderPoint)
    .map((l) => ({ ...l, suggested: suggestedReorderQuantity(l) }))
    .sort(order);
  const above = lines
    .filter((l) => l.kind === 'above_overstock' && l.overstockLevel !== undefined && l.onHand > l.overstockLevel)
    .map((l) => ({ ...l, excess: l.onHand - l.overstockLevel! }))
    .sort(order);
  return { date, below, above };
}

export function stockDigestEmail(to: string[], digest: StockDigest): EmailMessage {
  return renderEmail(to, {
    subjectZh: `库存预警日报 ${digest.date}：低于补货点 ${digest.below.length} 项，超储 ${digest.above.length} 项`,
    subjectEn: `Daily stock alerts ${digest.date}: ${digest.below.length} below reorder point, ${digest.above.length} overstocked`,
    introZh: `截至 ${digest.date} 的库存预警如下，建议补货量按补至超储上限（未设置时为补货点的两倍）计算。`,
    introEn: `Stock alerts as of ${digest.date}. Suggested quantities refill available stock up to the overstock level (twice the reorder point when none is set).`,
    sections: [
      {
        titleZh: '低于补货点',
        titleEn: 'Below reorder point',
        columns: ['仓库 / Location', 'SKU', '在库 / On hand', '已预留 / Reserved', '可用 / Available', '补货点 / Reorder point', '超储上限 / Overstock', '建议补货 / Suggested'],
        rows: digest.below.map((l) => [l.locationCode, l.sku, String(l.onHand), String(l.reserved), String(l.available), String(l.reorderPoint ?? ''), String(l.overstockLevel ?? '—'), String(l.suggested)]),
        total: ['合计 / Total', `${digest.below.length}`, '', '', '', '', '', String(digest.below.reduce((s, l) => s + l.suggested, 0))],
      },
      {
        titleZh: '超过超储上限',
        titleEn: 'Above overstock level',
        columns: ['仓库 / Location', 'SKU', '在库 / On hand', '超储上限 / Overstock', '超出 / Excess'],
        rows: digest.above.map((l) => [l.locationCode, l.sku, String(l.onHand), String(l.overstockLevel), String(l.excess)]),
        total: ['合计 / Total', `${digest.above.length}`, '', '', String(digest.above.reduce((s, l) => s + l.excess, 0))],
      },
    ],
  });
}

export interface StockAlertPorts {
  /** Every current stock alert with its level's quantities and thresholds. */
  stockAlertLines(): Promise<StockAlertLine[]>;
  markers: AlertMarkers;
  mailer: Mailer;
}

export const STOCK_DIGEST_KIND = 'stock-digest';

export interface StockAlertRun {
  date: string;
  below: number;
  above: number;
  digest: 'sent' | 'already_sent' | 'empty' | 'no_recipients';
}

export async function runStockAlerts(ports: StockAlertPorts, config: { warehouseEmails: string[] }, date: string): Promise<StockAlertRun> {
  const digest = buildStockDigest(date, await ports.stockAlertLines());
  const run = { date, below: digest.below.length, above: digest.above.length };
  if (digest.below.length === 0 && digest.above.length === 0) return { ...run, digest: 'empty' };
  if (config.warehouseEmails.length === 0) return { ...run, digest: 'no_recipients' };
  if (!(await ports.markers.claimAlert(STOCK_DIGEST_KIND, 'warehouse', date, run))) return { ...run, digest: 'already_sent' };
  await ports.mailer.send(stockDigestEmail(config.warehouseEmails, digest));
  return { ...run, digest: 'sent' };
}
