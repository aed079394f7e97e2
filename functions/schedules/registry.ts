/**
 * The schedule table: one row per scheduled job, read by the CDK construct
 * (infra/constructs/schedules.ts → EventBridge Scheduler) and by the twin's cron
 * (infra/local/scheduler.ts → croner) and `npm run schedule`, so a schedule is listed exactly once.
 */

/**
 * What a schedule handler receives. On AWS the schedule's input carries
 * `<aws.scheduler.scheduled-time>`, so a retried invocation (even hours later) computes the same
 * business date as the first attempt; `date` (YYYY-MM-DD) overrides it (`--date`, tests).
 */
export interface ScheduleEvent {
  schedule?: string;
  scheduledTime?: string;
  date?: string;
}

export type ScheduleHandler = (event: ScheduleEvent, context?: unknown) => Promise<unknown>;

export interface ScheduleSpec {
  /** Stable name: `npm run schedule -- <name>`, the logical id on AWS. */
  name: string;
  description: string;
  /**
   * Standard 5-field cron (minute hour day-of-month month day-of-week) in `timeZone`; croner runs
   * it as is, `awsCronExpression` converts it for EventBridge Scheduler. Day-of-week only as `*`
   * or names (MON…SUN): the numbering differs between the two.
   */
  cron: string;
  /** IANA zone. @default the enterprise time zone (ENTERPRISE_TIME_ZONE / context dms:enterpriseTimeZone, Asia/Shanghai) */
  timeZone?: string;
  /** Lambda entry relative to the repository root. */
  entry: string;
  /** Lazy so that CDK synthesis never imports handler code. */
  load: () => Promise<ScheduleHandler>;
  /** @default 300 */
  timeoutSeconds?: number;
  /** The handler sends email: the stack grants ses:SendEmail/SendRawEmail on the sender identity. */
  sendsEmail?: boolean;
}

export const SCHEDULES: readonly ScheduleSpec[] = [
  {
    name: 'payment-alerts',
    description: 'Daily 08:00: dunning reminders to dealers, receivables digest to finance',
    cron: '0 8 * * *',
    entry: 'functions/schedules/payment-alerts.ts',
    load: async () => (await import('./payment-alerts')).handler,
    timeoutSeconds: 600,
    sendsEmail: true,
  },
  {
    name: 'stock-alerts',
    description: 'Daily 07:30: stock below reorder point / above overstock level to warehouse and purchasing',
    cron: '30 7 * * *',
    entry: 'functions/schedules/stock-alerts.ts',
    load: async () => (await import('./stock-alerts')).handler,
    sendsEmail: true,
  },
  {
    name: 'credit-reevaluation',
    description: 'Monthly, 1st at 02:00: re-score every dealer and apply the rating policy',
    cron: '0 2 1 * *',
    entry: 'functions/schedules/credit-reevaluation.ts',
    load: async () => (await import('./credit-reevaluation')).handler,
    timeoutSeconds: 900,
  },
];

export function scheduleByName(name: string, schedules: readonly ScheduleSpec[] = SCHEDULES): ScheduleSpec {
  const spec = schedules.find((s) => s.name === name);
  if (!spec) throw new Error(`No schedule ${name}; known: ${schedules.map((s) => s.name).join(', ')}`);
  return spec;
}

const DOW_NAMES = /^(\*|\?|(MON|TUE|WED|THU|FRI|SAT|SUN)([-,](MON|TUE|WED|THU|FRI|SAT|SUN))*)$/i;

/**
 * `0 8 * * *` → `cron(0 8 * * ? *)`: EventBridge's six fields (with year) and exactly one of
 * day-of-month / day-of-week as `?`.
 */
export function awsCronExpression(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${cron}": five fields expected (minute hour day-of-month month day-of-week)`);
  let [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (!DOW_NAMES.test(dow)) throw new Error(`cron "${cron}": day-of-week must be * or names (MON…SUN), numbers differ between cron dialects`);
  if (dow === '*' || dow === '?') dow = '?';
  else if (dom === '*') dom = '?';
  else throw new Error(`cron "${cron}": EventBridge cannot restrict both day-of-month and day-of-week`);
  return `cron(${minute} ${hour} ${dom} ${month} ${dow.toUpperCase()} *)`;
}
