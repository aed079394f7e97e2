import { writeContextDependencies } from '../../adapters/http-dependencies';
import { httpHandler } from '../../shared/http-handler';
import { changeDealerStatus } from './change-dealer-status';
import { decideCreditLimitRequest } from './decide-credit-limit-request';
import { evaluateDealerCredit } from './evaluate-dealer-credit';
import { getCreditLimitRequest } from './get-credit-limit-request';
import { listCreditEvaluations } from './list-credit-evaluations';
import { listCreditLimitRequests } from './list-credit-limit-requests';
import { requestCreditLimitChange } from './request-credit-limit-change';
import { createDealer } from './create-dealer';
import { getDealer } from './get-dealer';
import { getDealerCredit } from './get-dealer-credit';
import { listDealers } from './list-dealers';
import { listRegions } from './list-regions';
import { replaceDealerContacts } from './replace-dealer-contacts';
import { dealersContext } from './routes';
import { updateDealer } from './update-dealer';
import { updateDealerCredit } from './update-dealer-credit';

export const handler = httpHandler(dealersContext, {
  listRegions,
  createDealer,
  listDealers,
  getDealer,
  updateDealer,
  replaceDealerContacts,
  changeDealerStatus,
  getDealerCredit,
  updateDealerCredit,
  requestCreditLimitChange,
  listCreditLimitRequests,
  getCreditLimitRequest,
  decideCreditLimitRequest,
  evaluateDealerCredit,
  listCreditEvaluations,
}, writeContextDependencies);
