import type { IncomingMessage, ServerResponse } from 'node:http';
import { Cron } from 'croner';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import { SCHEDULES, scheduleByName, type ScheduleEvent, type ScheduleSpec } from '../../functions/schedules/registry';
import type { LocalSigner } from './jwt';

/**
 * The twin's EventBridge Scheduler: croner fires each row of the schedule table in its time zone
 * (the enterprise zone by default), calling the same handler module Lambda runs. A failed run is
 * logged; like Scheduler without retries left, the next firing is the next day's. Started only by
 * `npm start` (twin option `schedules`), never by the test twins.
 */
export interface LocalScheduler {
  jobs: { name: string; cron: string; timeZone: string; next: Date | null }[];
  stop(): void;
}

export function scheduleTimeZone(spec: ScheduleSpec): string {
  return spec.timeZone ?? (process.env[ENV.enterpriseTimeZone] || 'Asia/Shanghai');
}

/** Runs one schedule now, in this process (the twin's engines must already be configured). */
export async function fireSchedule(name: string, event: ScheduleEvent = {}): Promise<unknown> {
  const spec = scheduleByName(name);
  const handler = await spec.load();
  return handler({ schedule: name, ...event });
}

export function startLocalScheduler(options: { log?: (line: string) => void; schedules?: readonly ScheduleSpec[] } = {}): LocalScheduler {
  const log = options.log ?? ((line: string) => console.log(line));
  const crons = (options.schedules ?? SCHEDULES).map((spec) => {
    const timeZone = scheduleTimeZone(spec);
    const cron = new Cron(spec.cron, { timezone: timeZone, protect: true, name: spec.name }, async () => {
      const scheduledTime = new Date().toISOString();
      try {
        const result = await (await spec.load())({ schedule: spec.name, scheduledTime });
        log(`schedule ${spec.name} ran: ${JSON.stringify(result)}`);
      } catch (error) {
        log(`schedule ${spec.name} failed: ${(error as Error).stack ?? String(error)}`);
      }
    });
    return { spec, timeZone, cron };
  });
  return {
    jobs: crons.map(({ spec, timeZone, cron }) => ({ name: spec.name, cron: spec.cron, timeZone, next: cron.nextRun() })),
    stop: () => crons.forEach(({ cron }) => cron.stop()),
  };
}

/** Path of the twin-only command endpoint (not in the API route table, not on AWS). */
export const TWIN_SCHEDULE_PATH = '/_twin/schedules/';

/**
 * `POST /_twin/schedules/<name>?date=YYYY-MM-DD` on the twin's server: what `npm run schedule`
 * calls while `npm start` runs, so the run uses the twin's DynamoDB Local. Admin token required
 * (the dev key in .data signs one).
 */
export async function serveScheduleCommand(req: IncomingMessage, res: ServerResponse, url: URL, signer: LocalSigner): Promise<void> {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') return reply(405, { error: 'POST only' });
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  let roles: unknown;
  try {
    roles = token ? (await signer.verify(token))['cognito:groups'] : undefined;
  } catch {
    roles = undefined;
  }
  if (!Array.isArray(roles) || !roles.includes('admin')) return reply(401, { error: 'an admin token is required' });
  const name = decodeURIComponent(url.pathname.slice(TWIN_SCHEDULE_PATH.length));
  if (!SCHEDULES.some((s) => s.name === name)) return reply(404, { error: `no schedule ${name}`, schedules: SCHEDULES.map((s) => s.name) });
  const date = url.searchParams.get('date') ?? undefined;
  try {
    const result = await fireSchedule(name, date ? { date } : {});
    reply(200, { schedule: name, result });
  } catch (error) {
    reply(500, { schedule: name, error: (error as Error).message });
  }
}
