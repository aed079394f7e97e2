/** The scoring entities, joined into the single-table service (../../service.ts). */
export const scoringEntities = {};
