import { ValidationError } from '../shared/errors';
import { addDays, daysBetween } from '../shared/business-date';

/**
 * Dunning (催收): levels at fixed day offsets from a receivable's due date. Level numbers start
 * at 1 in offset order; a negative offset is a friendly reminder before the due date, the last
 * level is the final notice. Configuration in code with an environment override
 * (`DMS_DUNNING_OFFSETS`, e.g. "-3,1,15,30"): the levels rarely change and every change should
 * be reviewed like code.
 */
export interface DunningLevel {
  level: number;
  /** Days after the due date (negative: before) on which this level goes out. */
  offsetDays: number;
  labelZh: string;
  labelEn: string;
}

export interface DunningPolicy {
  levels: readonly DunningLevel[];
}

export const DUNNING_OFFSETS_ENV = 'DMS_DUNNING_OFFSETS';
export const DEFAULT_DUNNING_OFFSETS = [-3, 1, 15, 30] as const;

function labels(offsetDays: number, isFinal: boolean): { labelZh: string; labelEn: string } {
  if (isFinal) return { labelZh: '最终催款通知', labelEn: 'Final notice' };
  if (offsetDays < 0) return { labelZh: `到期前${-offsetDays}天提醒`, labelEn: `Reminder, due in ${-offsetDays} days` };
  if (offsetDays === 0) return { labelZh: '到期日提醒', labelEn: 'Due today' };
  return { labelZh: `逾期${offsetDays}天催款`, labelEn: `Overdue ${offsetDays} days` };
}

/** A policy from day offsets: distinct integers in −90…365, sorted, numbered 1…n. */
export function dunningPolicy(offsets: readonly number[]): DunningPolicy {
  if (offsets.length === 0 || offsets.length > 10) throw new ValidationError('Dunning needs between 1 and 10 levels.');
  for (const offset of offsets) {
    if (!Number.isInteger(offset) || offset < -90 || offset > 365) throw new ValidationError(`Dunning offset ${offset} is not an integer between -90 and 365.`);
  }
  const sorted = [...offsets].sort((a, b) => a - b);
  if (new Set(sorted).size !== sorted.length) throw new ValidationError('Dunning offsets must be distinct.');
  return { levels: sorted.map((offsetDays, i) => ({ level: i + 1, offsetDays, ...labels(offsetDays, i === sorted.length - 1 && offsetDays > 0) })) };
}

/** The policy from `DMS_DUNNING_OFFSETS` (comma-separated days) or the default −3, +1, +15, +30. */
export function dunningPolicyFromEnv(env: Record<string, string | undefined> = process.env): DunningPolicy {
  const raw = env[DUNNING_OFFSETS_ENV]?.trim();
  if (!raw) return dunningPolicy(DEFAULT_DUNNING_OFFSETS);
  return dunningPolicy(raw.split(',').map((part) => Number(part.trim())));
}

/** The highest level reached on `today` for a receivable due on `dueDate` (undefined: none yet). */
export function levelReached(policy: DunningPolicy, dueDate: string, today: string): DunningLevel | undefined {
  const days = daysBetween(dueDate, today);
  let reached: DunningLevel | undefined;
  for (const level of policy.levels) if (days >= level.offsetDays) reached = level;
  return reached;
}

/**
 * The level to send today, if any: the highest level reached that was not sent yet and is
 * above every level already sent. Run daily, each level goes out on its own day; after missed
 * runs only the level now reached goes out (the skipped lower ones are superseded, never sent
 * late), so a dealer never gets a stale "due in 3 days" after the due date.
 */
export function levelToSend(policy: DunningPolicy, dueDate: string, today: string, sentLevels: ReadonlySet<number>): DunningLevel | undefined {
  const reached = levelReached(policy, dueDate, today);
  if (!reached) return undefined;
  const highestSent = Math.max(0, ...sentLevels);
  return reached.level > highestSent ? reached : undefined;
}

/**
 * The due dates that may need attention on `today`: everything due on or before
 * `today + horizon`, where the horizon covers both the digest's look-ahead and the earliest
 * pre-due reminder. (Callers query "dueDate < the day after".)
 */
export function dueHorizon(policy: DunningPolicy, today: string, lookAheadDays: number): string {
  const earliest = Math.min(0, ...policy.levels.map((l) => l.offsetDays));
  return addDays(today, Math.max(lookAheadDays, -earliest));
}
