import { Entity } from 'electrodb';
import { CREDIT_RATINGS } from '../../../../../domain/credit/rating-policy';

/**
 * Credit evaluations, the history of a dealer's scores (domain/credit/credit-evaluation.ts).
 * Immutable once written. One partition per dealer, sorted by the evaluation's ULID, so "the
 * dealer's evaluations, newest first" and "the latest" are one Query each.
 */
export const CreditEvaluationEntity = new Entity({
  model: { entity: 'credit_evaluation', version: '1', service: 'dms' },
  attributes: {
    dealerId: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    asOf: { type: 'string', required: true, readOnly: true },
    evaluatedAt: { type: 'string', required: true, readOnly: true },
    evaluatedBy: { type: 'string', required: true, readOnly: true },
    trigger: { type: ['on_demand', 'monthly'] as const, required: true, readOnly: true },
    model: { type: 'string', required: true, readOnly: true },
    score: { type: 'number', required: true, readOnly: true },
    rating: { type: CREDIT_RATINGS, required: true, readOnly: true },
    policy: { type: 'any', required: true, readOnly: true },
    factors: { type: 'any', required: true, readOnly: true },
    inputs: { type: 'any', required: true, readOnly: true },
    currentLimit: { type: 'number', required: true, readOnly: true },
    suggestedLimit: { type: 'number', required: true, readOnly: true },
    applied: { type: 'any', required: true, readOnly: true },
    limitRequestId: { type: 'string', readOnly: true },
  },
  indexes: {
    byDealer: {
      pk: { field: 'pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'sk', composite: ['id'], casing: 'none' },
    },
  },
});

/**
 * The mark of a dealer's scheduled evaluation of one month, created (attribute_not_exists) in
 * the evaluation's transaction: a re-run or retried invocation of the monthly schedule finds it
 * and writes nothing.
 */
export const CreditEvaluationMarkEntity = new Entity({
  model: { entity: 'credit_evaluation_mark', version: '1', service: 'dms' },
  attributes: {
    dealerId: { type: 'string', required: true, readOnly: true },
    period: { type: 'string', required: true, readOnly: true },
    evaluationId: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byDealerPeriod: {
      pk: { field: 'pk', composite: ['dealerId', 'period'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
