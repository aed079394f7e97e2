import * as z from 'zod';

/** A business date `YYYY-MM-DD` (validity windows are inclusive on both ends). */
export const BusinessDateSchema = z.iso.date();

/** The calendar date of `instant` in the enterprise time zone (Asia/Shanghai unless configured). */
export function businessDate(instant: Date, timeZone = 'Asia/Shanghai'): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
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
