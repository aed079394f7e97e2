import { writeContextDependencies } from '../../adapters/http-dependencies';
import { httpHandler } from '../../shared/http-handler';
import { approvalPolicyHandlers } from './approval-policy-handlers';
import * as orderHandlers from './order-handlers';
import { ordersContext } from './routes';
import { salesStatisticsHandlers } from './sales-statistics-handlers';

export const handler = httpHandler(ordersContext, { ...orderHandlers, ...approvalPolicyHandlers, ...salesStatisticsHandlers }, writeContextDependencies);
