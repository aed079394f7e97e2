import { runtime } from '../../adapters/runtime';
import { httpHandler } from '../../shared/http-handler';
import { listAuditLog } from './list-audit-log';
import { auditContext } from './routes';

export const handler = httpHandler(auditContext, { listAuditLog }, { roles: () => runtime().roles });
