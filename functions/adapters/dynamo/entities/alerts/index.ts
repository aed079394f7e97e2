import { AlertMarkerEntity, DunningMarkerEntity } from './alert-marker';

/** The alerts entities, joined into the single-table service (../../service.ts). */
export const alertsEntities = {
  alertMarker: AlertMarkerEntity,
  dunningMarker: DunningMarkerEntity,
};
