import { ordersRuntime } from '../../adapters/orders-runtime';
import { documentStore } from '../../adapters/documents/document-store-factory';
import { publishEvents, requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { ordersContext } from './routes';

type Op<Id extends (typeof ordersContext)['routes'][number]['operationId']> = Implementation<typeof ordersContext, Id>;

const orders = () => ordersRuntime().orders;

/** Links to documents live 15 minutes: long enough to download, short enough not to be shared around. */
const DOCUMENT_LINK_SECONDS = 15 * 60;

export const createOrder: Op<'createOrder'> = async (input) => {
  const ctx = requestContext(input);
  const { result, events } = await orders().create(ctx, input.body);
  await publishEvents(ctx, events);
  return { body: result, version: result.version, headers: { location: `${input.baseUrl}/orders/${result.id}` } };
};

export const listOrders: Op<'listOrders'> = async ({ principal, query }) => {
  const { limit, cursor, ...filter } = query;
  return { body: await orders().list(principal, filter, { limit, ...(cursor ? { cursor } : {}) }) };
};

export const getOrder: Op<'getOrder'> = async ({ principal, params }) => {
  const order = await orders().get(principal, params.orderId);
  return { body: order, version: order.version };
};

export const updateOrderDraft: Op<'updateOrderDraft'> = async (input) => {
  const order = await orders().updateDraft(requestContext(input), input.params.orderId, input.expectedVersion!, input.body);
  return { body: order, version: order.version };
};

export const submitOrder: Op<'submitOrder'> = async (input) => {
  const ctx = requestContext(input);
  const { result, events } = await orders().submit(ctx, input.params.orderId);
  await publishEvents(ctx, events);
  return { body: result, version: result.version };
};

export const decideOrderApproval: Op<'decideOrderApproval'> = async (input) => {
  const ctx = requestContext(input);
  const { result, events } = await orders().decide(ctx, input.params.orderId, input.body);
  await publishEvents(ctx, events);
  return { body: result, version: result.version };
};

export const listPendingApprovals: Op<'listPendingApprovals'> = async ({ principal, query }) => {
  const { limit, cursor, role } = query;
  return { body: await orders().inbox(principal, role, { limit, ...(cursor ? { cursor } : {}) }) };
};

export const cancelOrder: Op<'cancelOrder'> = async (input) => {
  const ctx = requestContext(input);
  const { result, events } = await orders().cancel(ctx, input.params.orderId, input.body.reason);
  await publishEvents(ctx, events);
  return { body: result, version: result.version };
};

export const createShipment: Op<'createShipment'> = async (input) => {
  const ctx = requestContext(input);
  const { result, events } = await orders().ship(ctx, input.params.orderId, input.body);
  await publishEvents(ctx, events);
  return { body: result, headers: { location: `${input.baseUrl}/orders/${result.orderId}/shipments` } };
};

export const listOrderShipments: Op<'listOrderShipments'> = async ({ principal, params }) => ({
  body: { items: await orders().shipments(principal, params.orderId) },
});

export const confirmOrderReceipt: Op<'confirmOrderReceipt'> = async (input) => {
  const order = await orders().confirmReceipt(requestContext(input), input.params.orderId, input.body.note);
  return { body: order, version: order.version };
};

export const getOrderTimeline: Op<'getOrderTimeline'> = async ({ principal, params, query }) => {
  const { limit, cursor } = query;
  return { body: await orders().timeline(principal, params.orderId, { limit, ...(cursor ? { cursor } : {}) }) };
};

export const getOrderDocument: Op<'getOrderDocument'> = async ({ principal, params }) => {
  const document = await orders().document(principal, params.orderId, params.kind);
  const url = await documentStore().signedUrl(document.key, DOCUMENT_LINK_SECONDS);
  return {
    body: { kind: document.kind, number: document.number, contentType: document.contentType, url, expiresAt: new Date(Date.now() + DOCUMENT_LINK_SECONDS * 1000).toISOString() },
    headers: { 'cache-control': 'no-store' },
  };
};
