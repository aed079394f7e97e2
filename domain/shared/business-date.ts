import * as z from 'zod';

/** A business date `YYYY-MM-DD` (validity windows are inclusive on both ends). */
export const BusinessDateSchema = z.iso.date();

/** The calendar date of `instant` in the enterprise time zone (Asia/Shanghai unless configured). */
export function businessDate(instant: Date, timeZone = 'Asia/Shanghai'): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** Adds calendar days to a `YYYY-MM-DD` date, without touching time zones. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole calendar days from one `YYYY-MM-DD` date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Validity of a price rule: from `validFrom` through `validTo` (both inclusive; no end = open). */
export interface Validity {
  validFrom: string;
  validTo?: string;
}

export type ValidityCheck = 'valid' | 'not_yet_valid' | 'expired';

export function checkValidity(rule: Validity, date: string): ValidityCheck {
  if (date < rule.validFrom) return 'not_yet_valid';
  if (rule.validTo !== undefined && date > rule.validTo) return 'expired';
  return 'valid';
}

/** Sorts after every real date: the index key of an open-ended validity. */
export const OPEN_END = '9999-12-31';
