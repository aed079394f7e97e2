/** The alerts entities, joined into the single-table service (../../service.ts). */
export const alertsEntities = {};
