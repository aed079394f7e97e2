import { writeContextDependencies } from '../../adapters/http-dependencies';
import { httpHandler } from '../../shared/http-handler';
import { approveStocktake } from './approve-stocktake';
import { cancelStocktake } from './cancel-stocktake';
import { getStocktake } from './get-stocktake';
import { getStocktakeVariances } from './get-stocktake-variances';
import { listStocktakes } from './list-stocktakes';
import { openStocktake } from './open-stocktake';
import { stocktakesContext } from './routes';
import { submitStocktakeCounts } from './submit-stocktake-counts';

export const handler = httpHandler(stocktakesContext, {
  openStocktake,
  listStocktakes,
  getStocktake,
  submitStocktakeCounts,
  getStocktakeVariances,
  approveStocktake,
  cancelStocktake,
}, writeContextDependencies);
