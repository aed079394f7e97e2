import { StocktakeCountBatchEntity, StocktakeEntity, StocktakeLockEntity, StocktakePostingEntity, StocktakeSheetEntity } from './stocktake';

/** The stocktakes context's ElectroDB entities, joined into the single-table service (../../service.ts). */
export const stocktakesEntities = {
  stocktake: StocktakeEntity,
  stocktakeSheet: StocktakeSheetEntity,
  stocktakeCount: StocktakeCountBatchEntity,
  stocktakePosting: StocktakePostingEntity,
  stocktakeLock: StocktakeLockEntity,
};
