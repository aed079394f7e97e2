/** The stocktakes context's ElectroDB entities, joined into the single-table service (../../service.ts). */
export const stocktakesEntities = {};
