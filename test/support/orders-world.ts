import type { Dealer } from '../../domain/dealers/dealer';
import type { Location } from '../../domain/inventory/location';
import { productSearchKey } from '../../domain/catalog/product';
import { dms } from '../../functions/adapters/dynamo/service';
import { dealerRepository } from '../../functions/adapters/dynamo/dealer-repository';
import { demoUscc } from '../../infra/local/demo-data';
import { nameSearchKey } from '../../domain/dealers/dealer';
import { assessCredit } from '../../domain/credit/assess-credit';
import { orderTotals, type ApproverRole, type Order, type OrderEvent, type OrderLineInput, type OrderStatus } from '../../domain/orders/order';
import { priceOrderLines } from '../../domain/orders/order-pricing';
import { defaultShipTo } from '../../domain/orders/order-service';
import { businessDate } from '../../domain/shared/business-date';
import { withoutEmpty } from '../../domain/shared/objects';
import { approvalPolicyRepository } from '../../functions/adapters/dynamo/approval-policy-repository';
import { priceListRepository, promotionRepository, specialPriceRepository } from '../../functions/adapters/dynamo/catalog-price-repositories';
import { productRepository } from '../../functions/adapters/dynamo/catalog-product-repository';
import { exposureChange, getCreditProfile, overdueSummary } from '../../functions/adapters/dynamo/credit-repository';
import { writeNumbered } from '../../functions/adapters/dynamo/document-numbering';
import { ledgerWrites } from '../../functions/adapters/dynamo/stock-ledger';
import { reservationWrites } from '../../functions/adapters/dynamo/stock-reservations';

/**
 * Ordering preconditions written straight to the entities (no audit records, no API calls):
 * products with list prices, an enterprise warehouse per region with stock, active dealers
 * with a default shipping address, and their credit profiles. Tests then drive the order API.
 */

let sequence = 0;
const unique = (prefix: string) => {
  sequence += 1;
  return `${prefix}${Date.now().toString(36)}${sequence.toString(36)}${Math.floor(Math.random() * 1e5).toString(36)}`.toUpperCase();
};

export interface TestProduct {
  sku: string;
  name: string;
  listPrice: number;
  vatRate: number;
}

export async function createProducts(count: number, overrides: Partial<{ listPrice: number; vatRate: number; minOrderQuantity: number; orderMultiple: number; status: 'active' | 'discontinued' }> = {}): Promise<TestProduct[]> {
  const at = new Date().toISOString();
  const products: TestProduct[] = [];
  for (let i = 0; i < count; i += 1) {
    const sku = unique('OT-');
    const listPrice = overrides.listPrice ?? 100_000 + i * 1_000;
    const vatRate = overrides.vatRate ?? [1300, 900, 600, 1300][i % 4]!;
    await dms()
      .entities.product.create({
        sku,
        name: `订单测试商品${i + 1}号`,
        nameEn: `Order test product ${i + 1}`,
        nameKey: productSearchKey(`订单测试商品${i + 1}号`),
        nameEnKey: productSearchKey(`Order test product ${i + 1}`),
        category: 'AC',
        unit: 'UNIT',
        vatRate,
        status: overrides.status ?? 'active',
        ...(overrides.minOrderQuantity ? { minOrderQuantity: overrides.minOrderQuantity } : {}),
        ...(overrides.orderMultiple ? { orderMultiple: overrides.orderMultiple } : {}),
        listPrice: { amount: listPrice, currency: 'CNY' },
        createdAt: at,
        createdBy: 'test',
        updatedAt: at,
        version: 1,
      } as never)
      .go();
    products.push({ sku, name: `订单测试商品${i + 1}号`, listPrice, vatRate });
  }
  return products;
}

/** An enterprise warehouse; the first by code in its region is the region's default fulfilment location. */
export async function createWarehouse(region: string, code = unique('WH-T')): Promise<Location> {
  const at = new Date().toISOString();
  const location: Location = { code, name: `测试仓 ${code}`, kind: 'warehouse', region, status: 'active', createdAt: at, updatedAt: at, version: 1 };
  await dms().entities.location.create(location).go();
  return location;
}

export async function putStock(locationCode: string, sku: string, onHand: number): Promise<void> {
  await dms()
    .entities.stockLevel.put({ locationCode, sku, onHand, reserved: 0, available: onHand, version: 1, updatedAt: new Date().toISOString() })
    .go();
}

export async function stockOf(locationCode: string, sku: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const level = (await dms().entities.stockLevel.get({ locationCode, sku }).go({ consistent: true })).data;
  return { onHand: level?.onHand ?? 0, reserved: level?.reserved ?? 0, available: level?.available ?? 0 };
}

let dealerNumber = 0;

export async function createActiveDealer(region: string, overrides: Partial<Dealer> = {}): Promise<Dealer> {
  dealerNumber += 1;
  const at = new Date().toISOString();
  const id = (await import('ulid')).ulid();
  const code = unique('OD');
  const dealer: Dealer = {
    id,
    code,
    name: `上海测试贸易有限公司${dealerNumber}`,
    uscc: demoUscc('310115', Math.random),
    tier: 'gold',
    channelType: 'distributor',
    region,
    status: 'active',
    statusChangedAt: at,
    contacts: [{ name: '王经理', mobile: '13800138000', primary: true }],
    addresses: [
      { type: 'shipping', province: '上海市', city: '上海', district: '浦东新区', street: '张江路 100 号', postalCode: '201203', recipient: '李仓管', phone: '13900139000', isDefault: true },
      { type: 'billing', province: '上海市', city: '上海', street: '世纪大道 1 号', isDefault: true },
    ],
    createdAt: at,
    createdBy: 'test',
    updatedAt: at,
    version: 1,
    ...overrides,
  };
  await dealerRepository.create(dealer, {
    id: unique('AUD'),
    at,
    actorId: 'test-setup',
    actorRoles: ['admin'],
    action: 'dealer.created',
    entityType: 'dealer',
    entityId: id,
    changes: {},
    requestId: 'test-setup',
  });
  return dealer;
}

export async function setCredit(dealer: Pick<Dealer, 'id'>, profile: { creditLimit: number; paymentTermsDays?: number; prepaymentBalance?: number; creditHold?: boolean; creditHoldReason?: string }): Promise<void> {
  await dms()
    .entities.dealerCredit.put({
      dealerId: dealer.id,
      currency: 'CNY',
      creditLimit: profile.creditLimit,
      paymentTermsDays: profile.paymentTermsDays ?? 30,
      prepaymentBalance: profile.prepaymentBalance ?? 0,
      creditHold: profile.creditHold ?? false,
      ...(profile.creditHoldReason ? { creditHoldReason: profile.creditHoldReason } : {}),
      openOrders: 0,
      unbilledShipments: 0,
      openReceivables: 0,
      updatedAt: new Date().toISOString(),
      version: 1,
    })
    .go();
}

export async function creditCounters(dealerId: string): Promise<{ openOrders: number; openReceivables: number }> {
  const item = (await dms().entities.dealerCredit.get({ dealerId }).go({ consistent: true })).data;
  return { openOrders: item?.openOrders ?? 0, openReceivables: item?.openReceivables ?? 0 };
}

// ── orders in a given state, written straight to the entities (route fixtures) ──────────────

/**
 * An active dealer with a default shipping address, written straight to its entities (the
 * dealer and its code-uniqueness item) — unlike `createActiveDealer`, it leaves no audit record,
 * so route fixtures may call it while a walk watches the audit log.
 */
export async function putActiveDealer(region: string, overrides: Partial<Dealer> = {}): Promise<Dealer> {
  dealerNumber += 1;
  const at = new Date().toISOString();
  const id = (await import('ulid')).ulid();
  const dealer: Dealer = {
    id,
    code: unique('OD'),
    name: `苏州订单测试贸易有限公司${dealerNumber}`,
    uscc: demoUscc('320505', Math.random),
    tier: 'gold',
    channelType: 'distributor',
    region,
    status: 'active',
    statusChangedAt: at,
    contacts: [{ name: '陈经理', mobile: '13800138001', primary: true }],
    addresses: [
      { type: 'shipping', province: '江苏省', city: '苏州', district: '工业园区', street: '星湖街 328 号', postalCode: '215123', recipient: '周仓管', phone: '13900139001', isDefault: true },
      { type: 'billing', province: '江苏省', city: '苏州', street: '苏州大道东 1 号', isDefault: true },
    ],
    createdAt: at,
    createdBy: 'test-setup',
    updatedAt: at,
    version: 1,
    ...overrides,
  };
  await dms().entities.dealer.create({ ...dealer, nameKey: nameSearchKey(dealer.name) } as never).go();
  await dms().entities.dealerCode.create({ code: dealer.code, dealerId: dealer.id }).go();
  return dealer;
}

/** The states a fixture can put an order in without the API (and so without audit records). */
export type PutOrderStatus = 'draft' | 'submitted' | 'approved' | 'shipped';

export interface PutOrderOptions {
  dealer: Dealer;
  /** The enterprise warehouse the order ships from (it must hold the stock for held states). */
  location: string;
  lines: OrderLineInput[];
  status: PutOrderStatus;
  /** For `submitted`: the approval chain still waiting (empty: auto-approval). */
  approvalRoles?: ApproverRole[];
  /** Creator and submitter (never the principal a test decides with). */
  actorId?: string;
}

const ordersTimeZone = 'Asia/Shanghai';

/**
 * An order in `status` exactly as the use cases would have left it — priced by the price policy,
 * numbered from the gapless SO series, its stock reserved (or shipped) through the ledger, its
 * credit exposure counted, its timeline written — in one transaction, but without the audit
 * record: route fixtures prepare objects while a walk counts audit records.
 */
export async function putOrder(options: PutOrderOptions): Promise<Order> {
  const { dealer, location, status } = options;
  const actorId = options.actorId ?? 'test-setup';
  const now = new Date();
  const at = now.toISOString();
  const today = businessDate(now, ordersTimeZone);
  const priced = await priceOrderLines(
    { products: productRepository, priceLists: priceListRepository, specialPrices: specialPriceRepository, promotions: promotionRepository },
    dealer,
    options.lines,
    today,
  );
  const id = (await import('ulid')).ulid();
  const draft = withoutEmpty({
    id,
    dealerId: dealer.id,
    dealerCode: dealer.code,
    dealerName: dealer.name,
    region: dealer.region,
    channel: 'sales_rep',
    status: 'draft',
    currency: priced.currency,
    lines: priced.lines,
    totals: orderTotals(priced.lines),
    shipTo: defaultShipTo(dealer),
    customerReference: unique('PO-'),
    fulfilmentLocation: location,
    pricedOn: today,
    approvalSteps: [],
    documents: [],
    createdAt: at,
    createdBy: actorId,
    updatedAt: at,
    version: 1,
  }) as Order;
  let seq = 0;
  const event = (type: string, from: OrderStatus | undefined, to: OrderStatus, note?: string): OrderEvent =>
    withoutEmpty({ orderId: id, at, seq: `${id}-${String((seq += 1)).padStart(3, '0')}`, actorId, type, from, to, note }) as OrderEvent;

  if (status === 'draft') {
    await dms().transaction.write(({ order, orderEvent }) => [order.create(storedOrder(draft)).commit(), orderEvent.create(event('created', undefined, 'draft')).commit()]).go();
    return draft;
  }

  const [profile, overdue, policy] = await Promise.all([getCreditProfile(dealer.id), overdueSummary(dealer.id, today), approvalPolicyRepository.current()]);
  const credit = assessCredit({ profile, overdue, orderGross: draft.totals.gross, maxOverdueDays: policy.overdueDebt.maxOverdueDays });
  const roles = status === 'submitted' ? (options.approvalRoles ?? []) : [];
  const submitted: Order = {
    ...draft,
    status: 'submitted',
    credit,
    approvalSteps: roles.map((role, i) => ({ level: i + 1, role, reasons: [`test setup: ${role} decides`], status: 'waiting' as const })),
    reservationId: id,
    submittedAt: at,
    submittedBy: actorId,
    version: 2,
  };
  const target: Order =
    status === 'submitted'
      ? submitted
      : status === 'approved'
        ? { ...submitted, status: 'approved', approvedAt: at, version: 3 }
        : { ...submitted, status: 'shipped', approvedAt: at, lines: submitted.lines.map((l) => ({ ...l, shippedQuantity: l.quantity })), version: 4 };
  const held = status !== 'shipped';
  const shipmentId = (await import('ulid')).ulid();
  const reservationLines = target.lines.map((l) => ({ locationCode: location, sku: l.sku, quantity: l.quantity, remaining: held ? l.quantity : 0 }));
  const timeline = [
    event('created', undefined, 'draft'),
    event('submitted', 'draft', 'submitted'),
    ...(status === 'approved' || status === 'shipped' ? [event('approved', 'submitted', 'approved', 'auto-approved: within the approval policy')] : []),
    ...(status === 'shipped' ? [event('shipment_dispatched', 'approved', 'shipped', `顺丰速运 SF-${shipmentId}`)] : []),
  ];
  await writeNumbered(
    'SO',
    Number(today.slice(0, 4)),
    (entities, number) => {
      const order = { ...target, number };
      const ledgerCtx = { actorId, at, newId: () => `${shipmentId}-${(seq += 1)}`, ignoreFreeze: true };
      return [
        entities.order.create(storedOrder(order)).commit(),
        ...(held
          ? reservationWrites(entities, { id, status: 'active', lines: reservationLines, consumedBy: [], reference: number, createdAt: at, updatedAt: at, version: 1 }, { actorId, at })
          : [
              entities.stockReservation.create({ id, status: 'consumed', lines: reservationLines, consumedBy: [shipmentId], reference: number, createdAt: at, updatedAt: at, version: 2 } as never).commit(),
              entities.shipment
                .create({
                  id: shipmentId,
                  orderId: id,
                  dealerId: dealer.id,
                  lines: order.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity })),
                  carrier: '顺丰速运',
                  trackingNumber: `SF-${shipmentId}`,
                  fromLocation: location,
                  shippedAt: at,
                  createdBy: actorId,
                  createdAt: at,
                })
                .commit(),
              ...ledgerWrites(
                entities,
                order.lines.map((l) => ({ locationCode: location, sku: l.sku, onHandDelta: -l.quantity, reservedDelta: 0, type: 'shipment' as const, reference: shipmentId })),
                ledgerCtx,
              ),
            ]),
        // Held orders count as open orders; a shipped one was invoiced by the workflow in real
        // life (a receivable), which this setup does not fake, so it moves no exposure.
        ...(held ? [exposureChange(entities, dealer.id, { openOrders: order.totals.gross })] : []),
        ...timeline.map((e) => entities.orderEvent.create(e).commit()),
      ];
    },
    () => undefined,
  );
  const stored = await dms().entities.order.get({ id }).go({ consistent: true });
  const { createdMonth: _month, ...order } = stored.data as unknown as Order & { createdMonth?: string };
  return order as Order;
}

function storedOrder(order: Order) {
  return { ...order, createdMonth: order.createdAt.slice(0, 7) } as never;
}

