import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { ConflictError, IdempotencyKeyReusedError } from '../../domain/shared/errors';

/** Runs `execute` at most once per `key`; replays return its first result. */
export type RunOnce = <T>(request: { key: string; body: unknown; lambdaContext: Context | undefined }, execute: () => Promise<T>) => Promise<T>;

const IN_PROGRESS_WAIT_MS = 8_000;
const REMEMBER_SECONDS = 24 * 60 * 60;

/**
 * Powertools idempotency with its DynamoDB persistence layer. The key identifies the request
 * (caller, route, path, Idempotency-Key); the body is validated so that the same key with a
 * different body is a 422. Failures are not stored, so a corrected retry goes through. A
 * retry arriving while the first is still running waits for it (bounded), so concurrent
 * duplicates get the identical response rather than an error.
 */
export function powertoolsRunOnce(store: () => BasePersistenceLayer): RunOnce {
  return async ({ key, body, lambdaContext }, execute) => {
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: REMEMBER_SECONDS,
    });
    if (typeof lambdaContext?.getRemainingTimeInMillis === 'function') config.registerLambdaContext(lambdaContext);
    const once = makeIdempotent(async (_payload: { key: string; body: unknown }) => execute(), {
      persistenceStore: store(),
      config,
      keyPrefix: 'dms-http',
    });
    const deadline = Date.now() + IN_PROGRESS_WAIT_MS;
    for (let wait = 25; ; wait = Math.min(wait * 2, 400)) {
      try {
        // A body-less POST (submit, say) validates against null: Powertools cannot hash `undefined`.
        return await once({ key, body: body ?? null });
      } catch (error) {
        if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError();
        if (!(error instanceof IdempotencyAlreadyInProgressError)) throw error;
        if (Date.now() > deadline) {
          throw new ConflictError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly.');
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };
}
