import { monotonicFactory } from 'ulid';
import type { Principal } from '../../domain/access/principal';
import type { RequestContext } from '../../domain/audit/audit-entry';
import { BusinessDateSchema, businessDate } from '../../domain/shared/business-date';
import { ENV } from '../adapters/dynamo/table-schema';
import { runtime } from '../adapters/runtime';
import { logger } from '../shared/observability';
import type { ScheduleEvent } from './registry';

const newId = monotonicFactory();

/** Scheduled jobs act as this principal (audit records of what they change name it). */
export function schedulerPrincipal(name: string): Principal {
  return { userId: `scheduler:${name}`, username: `${name} schedule`, roles: ['system'], regions: [], permissions: new Set(), scope: 'all' };
}

/**
 * The business date of a run: `date` if given, else the calendar date of the scheduled time
 * (or now) in the enterprise time zone.
 */
export function runDate(event: ScheduleEvent, now: Date): string {
  if (event.date !== undefined) return BusinessDateSchema.parse(event.date);
  const instant = event.scheduledTime ? new Date(event.scheduledTime) : now;
  if (Number.isNaN(instant.getTime())) throw new Error(`scheduledTime ${event.scheduledTime} is not a time`);
  return businessDate(instant, process.env[ENV.enterpriseTimeZone] || 'Asia/Shanghai');
}

/** A schedule row's Lambda handler: one use case for one business date; a thrown error lets Scheduler retry. */
export function scheduleHandler<R>(name: string, run: (ctx: RequestContext, date: string) => Promise<R>) {
  return async (event: ScheduleEvent = {}): Promise<R> => {
    const now = runtime().now();
    const date = runDate(event ?? {}, now);
    const ctx: RequestContext = { principal: schedulerPrincipal(name), requestId: `schedule:${name}:${date}:${newId()}`, now, newId: () => newId() };
    try {
      const result = await run(ctx, date);
      logger.info(`Schedule ${name} ran`, { date, result: result as Record<string, unknown> });
      return result;
    } catch (error) {
      logger.error(`Schedule ${name} failed`, { date, error: error as Error });
      throw error;
    }
  };
}
