import { canSee, listScope } from '../access/object-scope';
import type { Principal } from '../access/principal';
import { auditEntry, type RequestContext } from '../audit/audit-entry';
import type { ProductReader } from '../catalog/ports';
import { isDealerLocation, locationOwnership, type Location, type LocationReader } from '../inventory/location';
import { addDays, businessDate, daysBetween } from '../shared/business-date';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../shared/errors';
import {
  MAX_RANGE_DAYS,
  contentHash,
  dateProblem,
  type ChannelStockLevel,
  type NewSellOutBatch,
  type NewStockReport,
  type SellOutBatch,
  type SellOutTotal,
  type StockReport,
} from './channel-stock';
import type { ChannelQuery, ChannelStockRepository, Page, PageRequest, Stored } from './ports';

export interface ChannelFilter {
  dealerId?: string;
  sku?: string;
  region?: string;
}

export interface SellOutFilter extends ChannelFilter {
  from?: string;
  to?: string;
}

export const REPORT_ENTITY = 'channel_stock_report';
export const SELL_OUT_ENTITY = 'channel_sell_out_batch';
/** Default sell-out window when `from` is omitted: the last 30 days up to `to`. */
const DEFAULT_RANGE_DAYS = 30;

function filterRequired(): ValidationError {
  return new ValidationError(
    'Name a dealerId, a sku or a region: channel stock across every dealer is read one of those at a time.',
    [{ path: 'query', message: 'dealerId, sku or region is required', code: 'filter_required' }],
    'filter_required',
  );
}

export class ChannelStockService {
  constructor(
    private readonly repository: ChannelStockRepository,
    private readonly locations: LocationReader,
    private readonly products: ProductReader,
    private readonly timeZone: string,
  ) {}

  /**
   * Accepts a stock report for a dealer location. The same content sent again (same location,
   * date and lines) is a replay: the first report comes back and nothing new is recorded.
   */
  async report(ctx: RequestContext, input: NewStockReport): Promise<Stored<StockReport>> {
    const location = await this.writableLocation(ctx.principal, input.locationCode);
    const problem = dateProblem(input.asOf, businessDate(ctx.now, this.timeZone));
    if (problem) throw new ValidationError(`The report date ${problem}.`, [{ path: 'asOf', message: problem, code: 'date_out_of_range' }]);
    await this.assertKnownSkus(input.lines);
    const lines = input.lines.map(({ sku, quantity }) => ({ sku, quantity }));
    const report: StockReport = {
      id: ctx.newId(),
      dealerId: location.dealerId!,
      locationCode: location.code,
      region: location.region,
      asOf: input.asOf,
      lines,
      lineCount: lines.length,
      totalQuantity: lines.reduce((sum, line) => sum + line.quantity, 0),
      contentHash: contentHash({ l: location.code, d: input.asOf, lines: [...lines].sort((a, b) => (a.sku < b.sku ? -1 : 1)) }),
      reportedAt: ctx.now.toISOString(),
      reportedBy: ctx.principal.userId,
    };
    const stored = await this.repository.createReport(report, auditEntry(ctx, 'channel_stock.reported', { type: REPORT_ENTITY, id: report.id }, undefined, report));
    // Also on a replay: finishes applying a report whose first attempt stopped midway.
    await this.repository.applyReport(stored.value);
    return stored;
  }

  async recordSellOut(ctx: RequestContext, input: NewSellOutBatch): Promise<Stored<SellOutBatch>> {
    const location = await this.writableLocation(ctx.principal, input.locationCode);
    const today = businessDate(ctx.now, this.timeZone);
    const errors: FieldError[] = [];
    input.lines.forEach((line, index) => {
      const problem = dateProblem(line.soldOn, today);
      if (problem) errors.push({ path: `lines/${index}/soldOn`, message: problem, code: 'date_out_of_range' });
    });
    if (errors.length) throw new ValidationError('Some sales are dated outside the accepted range.', errors);
    await this.assertKnownSkus(input.lines);
    const lines = input.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      soldOn: line.soldOn,
      ...(line.customerRef !== undefined ? { customerRef: line.customerRef } : {}),
    }));
    const dates = lines.map((l) => l.soldOn).sort();
    const batch: SellOutBatch = {
      id: ctx.newId(),
      dealerId: location.dealerId!,
      locationCode: location.code,
      region: location.region,
      lines,
      lineCount: lines.length,
      totalQuantity: lines.reduce((sum, line) => sum + line.quantity, 0),
      firstSoldOn: dates[0]!,
      lastSoldOn: dates[dates.length - 1]!,
      contentHash: contentHash({ l: location.code, lines }),
      reportedAt: ctx.now.toISOString(),
      reportedBy: ctx.principal.userId,
    };
    const stored = await this.repository.createSellOutBatch(batch, auditEntry(ctx, 'channel_sell_out.recorded', { type: SELL_OUT_ENTITY, id: batch.id }, undefined, batch));
    await this.repository.applySellOutBatch(stored.value);
    return stored;
  }

  async getReport(principal: Principal, id: string): Promise<StockReport> {
    const report = await this.repository.getReport(id);
    if (!report || !canSee(principal, report)) throw new NotFoundError('Stock report', id);
    return report;
  }

  async getSellOutBatch(principal: Principal, id: string): Promise<SellOutBatch> {
    const batch = await this.repository.getSellOutBatch(id);
    if (!batch || !canSee(principal, batch)) throw new NotFoundError('Sell-out batch', id);
    return batch;
  }

  /** The current levels of one dealer location the principal may see. */
  async levelsAt(principal: Principal, locationCode: string, page: PageRequest): Promise<{ location: Location } & Page<ChannelStockLevel>> {
    const location = await this.visibleDealerLocation(principal, locationCode);
    return { location, ...(await this.repository.levelsAt(location.code, page)) };
  }

  async listLevels(principal: Principal, filter: ChannelFilter, page: PageRequest): Promise<Page<ChannelStockLevel>> {
    const query = this.queryFor(principal, filter);
    return query ? this.repository.listLevels(query, page) : { items: [] };
  }

  async sellOutTotals(principal: Principal, filter: SellOutFilter, now: Date, page: PageRequest): Promise<{ from: string; to: string } & Page<SellOutTotal>> {
    const to = filter.to ?? businessDate(now, this.timeZone);
    const from = filter.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
    if (from > to) throw new ValidationError('`from` is after `to`.', [{ path: 'query/from', message: 'from must not be after to' }]);
    if (daysBetween(from, to) >= MAX_RANGE_DAYS) {
      throw new ValidationError(`A sell-out range covers at most ${MAX_RANGE_DAYS} days.`, [{ path: 'query/from', message: `at most ${MAX_RANGE_DAYS} days`, code: 'range_too_wide' }]);
    }
    const query = this.queryFor(principal, filter);
    const result = query ? await this.repository.sellOutTotals(query, { from, to }, page) : { items: [] };
    return { from, to, ...result };
  }

  /**
   * The key to read for this principal and these filters. Dealer principals only ever read
   * their own dealer's partition; region-scoped staff are confined to their regions. Returns
   * undefined when the filters select nothing the principal may see (an empty list, not 404).
   */
  private queryFor(principal: Principal, filter: ChannelFilter): ChannelQuery | undefined {
    const scope = listScope(principal);
    const sku = filter.sku !== undefined ? { sku: filter.sku } : {};
    if (scope.kind === 'dealer') {
      if (!scope.dealerId || (filter.dealerId && filter.dealerId !== scope.dealerId)) return undefined;
      return { by: 'dealer', dealerId: scope.dealerId, ...sku, ...(filter.region ? { regions: [filter.region] } : {}) };
    }
    let regions: string[] | undefined;
    if (scope.kind === 'regions') {
      regions = filter.region ? scope.regions.filter((r) => r === filter.region) : scope.regions;
      if (regions.length === 0) return undefined;
    } else if (filter.region) {
      regions = [filter.region];
    }
    const confine = regions ? { regions } : {};
    if (filter.dealerId) return { by: 'dealer', dealerId: filter.dealerId, ...sku, ...confine };
    if (filter.sku) return { by: 'sku', sku: filter.sku, ...confine };
    if (regions?.length === 1) return { by: 'region', region: regions[0]!, ...sku };
    throw filterRequired();
  }

  /** Every line names a catalog product (discontinued ones too: dealers may still hold them). */
  private async assertKnownSkus(lines: { sku: string }[]): Promise<void> {
    const known = new Set((await this.products.getMany([...new Set(lines.map((l) => l.sku))])).map((p) => p.sku));
    const errors: FieldError[] = [];
    lines.forEach((line, index) => {
      if (!known.has(line.sku)) errors.push({ path: `lines/${index}/sku`, message: `${line.sku} is not in the catalog`, code: 'unknown_sku' });
    });
    if (errors.length) throw new ValidationError(`${errors.length} line(s) name SKUs that are not in the catalog.`, errors.slice(0, 50), 'unknown_sku');
  }

  private async visibleDealerLocation(principal: Principal, code: string): Promise<Location> {
    const location = await this.locations.get(code);
    const ownership = location ? locationOwnership(location) : undefined;
    if (!location || !isDealerLocation(location) || !ownership || !canSee(principal, ownership)) throw new NotFoundError('Location', code);
    return location;
  }

  /**
   * A location the principal may report for: a dealer location inside its scope (a dealer
   * principal: one of its own), still active. Anything else does not exist for the caller.
   */
  private async writableLocation(principal: Principal, code: string): Promise<Location> {
    const location = await this.visibleDealerLocation(principal, code);
    if (location.status !== 'active') throw new ConflictError('location_inactive', `Location ${code} is inactive and takes no reports.`);
    return location;
  }
}
