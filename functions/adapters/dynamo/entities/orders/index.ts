import { IssuedDocumentEntity, OrderEntity, OrderEventEntity, PendingApprovalEntity, ShipmentEntity } from './order';

/** The orders context's entities, joined into the single-table service (../../service.ts). */
export const ordersEntities = {
  order: OrderEntity,
  orderEvent: OrderEventEntity,
  pendingApproval: PendingApprovalEntity,
  shipment: ShipmentEntity,
  issuedDocument: IssuedDocumentEntity,
};
