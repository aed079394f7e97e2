import { LocationEntity } from './location';
import { StockAlertEntity, StockLevelEntity, StockMovementEntity, StockReservationEntity, StockTransferEntity } from './stock';

/** The inventory context's ElectroDB entities, joined into the single-table service (../../service.ts). */
export const inventoryEntities = {
  location: LocationEntity,
  stockLevel: StockLevelEntity,
  stockMovement: StockMovementEntity,
  stockAlert: StockAlertEntity,
  stockReservation: StockReservationEntity,
  stockTransfer: StockTransferEntity,
};
