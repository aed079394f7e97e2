import { PayableEntity } from './payable';

/** The payables entities, joined into the single-table service (../../service.ts). */
export const payablesEntities = {
  payable: PayableEntity,
};
