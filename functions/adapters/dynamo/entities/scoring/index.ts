import { CreditEvaluationEntity, CreditEvaluationMarkEntity } from './credit-evaluation';
import { CreditLimitRequestEntity } from './credit-limit-request';

/** The scoring entities, joined into the single-table service (../../service.ts). */
export const scoringEntities = {
  creditEvaluation: CreditEvaluationEntity,
  creditEvaluationMark: CreditEvaluationMarkEntity,
  creditLimitRequest: CreditLimitRequestEntity,
};
