import { monotonicFactory } from 'ulid';
import type { Principal } from '../../domain/access/principal';
import type { ApprovalWorkflow } from '../../domain/orders/ports';
import { OrderService, type OrderDocumentRenderer } from '../../domain/orders/order-service';
import { SfnApprovalWorkflow } from '../workflows/order-approval/sfn-approval-workflow';
import { publishEvents } from '../shared/use-case-context';
import { approvalPolicyRepository } from './dynamo/approval-policy-repository';
import { priceListRepository, promotionRepository, specialPriceRepository } from './dynamo/catalog-price-repositories';
import { productRepository } from './dynamo/catalog-product-repository';
import { getCreditProfile, overdueSummary } from './dynamo/credit-repository';
import { dealerRepository } from './dynamo/dealer-repository';
import { locationRepository } from './dynamo/location-repository';
import { createOrderStore } from './dynamo/order-store';
import { recordSales } from './dynamo/sales-statistics-store';
import { ENV } from './dynamo/table-schema';
import { finance } from './finance-runtime';
import { inventoryRuntime } from './inventory-runtime';
import { runtime } from './runtime';

/**
 * The orders context's composition. The approval workflow is Step Functions on AWS and the
 * twin's ASL runner locally (`configureOrdersRuntime`). Documents are rendered only by the
 * workflow's document tasks, which plug the renderer in (`useDocumentRenderer`), so the HTTP
 * function never bundles the PDF and font code.
 */
export interface OrdersRuntime {
  orders: OrderService;
}

let workflowOverride: ApprovalWorkflow | undefined;
let renderer: OrderDocumentRenderer | undefined;
let current: OrdersRuntime | undefined;

export function configureOrdersRuntime(options: { workflow?: ApprovalWorkflow }): void {
  workflowOverride = options.workflow ?? workflowOverride;
  current = undefined;
}

export function useDocumentRenderer(documents: OrderDocumentRenderer): void {
  renderer = documents;
}

const newId = monotonicFactory();

/** Threshold crossings caused by order reservations, releases and shipments are published like any other movement's. */
const STOCK_SETTLER: Principal = { userId: 'system:orders', username: 'orders', roles: ['system'], regions: [], permissions: new Set(), scope: 'all' };

export function ordersRuntime(): OrdersRuntime {
  if (current) return current;
  let workflow: ApprovalWorkflow | undefined = workflowOverride;
  const lazyWorkflow: ApprovalWorkflow = {
    start: (orderId) => (workflow ??= SfnApprovalWorkflow.fromEnv()).start(orderId),
    stop: (orderId, cause) => (workflow ??= SfnApprovalWorkflow.fromEnv()).stop(orderId, cause),
    sendDecision: (token, decision) => (workflow ??= SfnApprovalWorkflow.fromEnv()).sendDecision(token, decision),
  };
  const documents: OrderDocumentRenderer = {
    invoice: (...args) => requiredRenderer().invoice(...args),
    shippingNote: (...args) => requiredRenderer().shippingNote(...args),
    store: (...args) => requiredRenderer().store(...args),
  };
  const orders = createOrderStore(async (levels) => {
    const ctx = { principal: STOCK_SETTLER, requestId: `orders-stock-${newId()}`, now: runtime().now(), newId: () => newId() };
    await publishEvents(ctx, await inventoryRuntime().stock.settleLevels(levels));
  });
  current = {
    orders: new OrderService({
      orders,
      workflow: lazyWorkflow,
      dealers: dealerRepository,
      locations: {
        get: (code) => locationRepository.get(code),
        async defaultFor(region) {
          const page = await locationRepository.list({ region, kind: 'warehouse', enterpriseOnly: true, status: 'active' }, { limit: 20 });
          return page.items.sort((a, b) => a.code.localeCompare(b.code))[0];
        },
      },
      pricing: { products: productRepository, priceLists: priceListRepository, specialPrices: specialPriceRepository, promotions: promotionRepository },
      credit: { profile: getCreditProfile, overdue: overdueSummary },
      policy: approvalPolicyRepository,
      documents,
      sales: { record: recordSales },
      prepayment: { applyToInvoice: (ctx, invoiceNumber) => finance().autoMatch(ctx, invoiceNumber) },
      timeZone: process.env[ENV.enterpriseTimeZone] ?? 'Asia/Shanghai',
    }),
  };
  return current;
}

function requiredRenderer(): OrderDocumentRenderer {
  if (!renderer) throw new Error('No document renderer: documents are issued by the order-approval workflow tasks (useDocumentRenderer).');
  return renderer;
}
