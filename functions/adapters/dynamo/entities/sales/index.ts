import { SalesCounterEntity } from './sales-counter';
import { SalesMarkEntity } from './sales-mark';

/** The sales entities, joined into the single-table service (../../service.ts). */
export const salesEntities = {
  salesCounter: SalesCounterEntity,
  salesMark: SalesMarkEntity,
};
