/** The payments entities, joined into the single-table service (../../service.ts). */
export const paymentsEntities = {};
