import { Service } from 'electrodb';
import { dynamoDocumentClient, mainTableName } from './client';
import { AuditRecordEntity } from './entities/audit-record';
import { DealerCodeEntity, DealerEntity } from './entities/dealer';
import { DocumentCounterEntity } from './entities/document-counter';
import { RegionEntity } from './entities/region';
import { RoleEntity } from './entities/role';
import { catalogEntities } from './entities/catalog';
import { channelEntities } from './entities/channel';
import { inventoryEntities } from './entities/inventory';
import { stocktakesEntities } from './entities/stocktakes';
import { ordersEntities } from './entities/orders';
import { financeEntities } from './entities/finance';
import { salesEntities } from './entities/sales';
import { approvalsEntities } from './entities/approvals';
import { paymentsEntities } from './entities/payments';
import { payablesEntities } from './entities/payables';
import { alertsEntities } from './entities/alerts';
import { scoringEntities } from './entities/scoring';

function createService() {
  return new Service(
    {
      dealer: DealerEntity,
      dealerCode: DealerCodeEntity,
      region: RegionEntity,
      role: RoleEntity,
      audit: AuditRecordEntity,
      documentCounter: DocumentCounterEntity,
      ...catalogEntities,
      ...inventoryEntities,
      ...stocktakesEntities,
      ...channelEntities,
      ...ordersEntities,
      ...financeEntities,
      ...salesEntities,
      ...approvalsEntities,
      ...paymentsEntities,
      ...payablesEntities,
      ...alertsEntities,
      ...scoringEntities,
    },
    { client: dynamoDocumentClient(), table: mainTableName() },
  );
}

export type DmsService = ReturnType<typeof createService>;

let service: DmsService | undefined;

/** All entities bound to the single table, for queries and cross-entity transactions. */
export function dms(): DmsService {
  service ??= createService();
  return service;
}
