import { writeContextDependencies } from '../../adapters/http-dependencies';
import { httpHandler } from '../../shared/http-handler';
import { adjustStock } from './adjust-stock';
import { createLocation } from './create-location';
import { getLocation } from './get-location';
import { getStockLevel } from './get-stock-level';
import { getStockTransfer } from './get-stock-transfer';
import { listLocations } from './list-locations';
import { listStock } from './list-stock';
import { listStockAlerts } from './list-stock-alerts';
import { listStockMovements } from './list-stock-movements';
import { receiveStock } from './receive-stock';
import { inventoryContext } from './routes';
import { setStockThresholds } from './set-stock-thresholds';
import { transferStock } from './transfer-stock';
import { updateLocation } from './update-location';

export const handler = httpHandler(inventoryContext, {
  listLocations,
  createLocation,
  getLocation,
  updateLocation,
  receiveStock,
  adjustStock,
  transferStock,
  getStockTransfer,
  listStock,
  listStockAlerts,
  getStockLevel,
  setStockThresholds,
  listStockMovements,
}, writeContextDependencies);
