import type { EmailMessage } from './email';

/** Sends one email (SES v2 on AWS, an .eml file in the outbox on the twin). */
export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

/**
 * Idempotency markers of the scheduled alerts. A claim is a conditional create: true for the one
 * caller that created it, false when it existed. Claimed BEFORE sending: a crash between claim
 * and send loses that email (logged, visible in the marker) rather than ever sending it twice.
 */
export interface AlertMarkers {
  /** One alert of `kind` about `objectId` for business date `date`. */
  claimAlert(kind: string, objectId: string, date: string, detail?: Record<string, unknown>): Promise<boolean>;
  /** Dunning level `level` of receivable `receivableId` (once per receivable and level, whatever the date). */
  claimDunning(receivableId: string, level: number, date: string): Promise<boolean>;
  /**
   * Which of these (receivable, level) pairs were already sent, as `${receivableId}#${level}`:
   * a cheap read that spares a retried run its conditional writes (the claim stays the guard).
   */
  sentDunning(keys: readonly { receivableId: string; level: number }[]): Promise<Set<string>>;
}
