import type { Receivable } from '../credit/credit-profile';
import type { Contact } from '../dealers/dealer';
import { formatYuan } from '../invoicing/invoice';
import { addDays, daysBetween } from '../shared/business-date';
import { dueHorizon, levelReached, type DunningLevel, type DunningPolicy } from './dunning';
import { renderEmail, type EmailMessage, type EmailSection } from './email';
import type { AlertMarkers, Mailer } from './ports';

/**
 * The daily payment alerts (issue 5 §7–§8): dunning emails to the dealers whose receivables
 * reach a level today, then one digest to finance. Pure decisions here; reads, markers and the
 * mailer are ports.
 */

export type OpenReceivable = Pick<Receivable, 'id' | 'invoiceNumber' | 'orderNumber' | 'dealerId' | 'currency' | 'amount' | 'paid' | 'open' | 'issueDate' | 'dueDate' | 'status'>;

export interface DealerMailbox {
  id: string;
  code: string;
  name: string;
  contacts: Contact[];
}

export interface CreditHoldNotice {
  dealerId: string;
  dealerName?: string;
  reason?: string;
}

export interface PaymentAlertPorts {
  /** Open receivables of all dealers due before `dueBefore` (exclusive), through the by-due-date index. */
  openReceivablesDueBefore(dueBefore: string): Promise<OpenReceivable[]>;
  /** Strongly consistent re-read: which of these are still open (an index can lag a payment). */
  stillOpen(ids: string[]): Promise<OpenReceivable[]>;
  dealers(ids: string[]): Promise<Map<string, DealerMailbox>>;
  /**
   * The credit holds today's review placed (issue 5 §6: debt overdue beyond the policy's days).
   * The review runs here, before the digest, so finance reads about a hold the morning it happens.
   */
  creditHolds(today: string): Promise<CreditHoldNotice[]>;
  markers: AlertMarkers;
  mailer: Mailer;
}

export interface PaymentAlertConfig {
  policy: DunningPolicy;
  financeEmails: string[];
  /** The digest's "due soon" window: due today … today + N. */
  lookAheadDays: number;
  /**
   * A level whose day is at most this many days past is still sent (a missed run or a failed
   * invocation catches up); older ones are superseded. Bounds the marker writes per run to the
   * receivables whose level changed recently, not every overdue one.
   */
  catchUpDays: number;
}

export const PAYMENT_DIGEST_KIND = 'payment-digest';

export interface DunningDue {
  receivable: OpenReceivable;
  level: DunningLevel;
}

/** Receivables whose reached level became due within the catch-up window (markers decide the rest). */
export function dunningCandidates(receivables: readonly OpenReceivable[], policy: DunningPolicy, today: string, catchUpDays: number): DunningDue[] {
  const out: DunningDue[] = [];
  for (const receivable of receivables) {
    if (receivable.open <= 0 || (receivable.status !== 'open' && receivable.status !== 'partially_paid')) continue;
    const level = levelReached(policy, receivable.dueDate, today);
    if (!level) continue;
    const late = daysBetween(addDays(receivable.dueDate, level.offsetDays), today);
    if (late >= 0 && late <= catchUpDays) out.push({ receivable, level });
  }
  return out;
}

export interface PaymentDigest {
  date: string;
  dueSoon: OpenReceivable[];
  /** Overdue receivables by the dunning level reached (0: overdue, before the first positive level). */
  overdueByLevel: { level: number; labelZh: string; labelEn: string; items: OpenReceivable[]; total: number }[];
  creditHolds: CreditHoldNotice[];
  remindersSent: number;
  totals: { dueSoon: number; overdue: number; open: number; currency: string };
}

export function buildPaymentDigest(input: {
  date: string;
  receivables: readonly OpenReceivable[];
  policy: DunningPolicy;
  lookAheadDays: number;
  creditHolds: CreditHoldNotice[];
  remindersSent: number;
}): PaymentDigest {
  const { date, policy } = input;
  const soonEnd = addDays(date, input.lookAheadDays);
  const open = input.receivables.filter((r) => r.open > 0);
  const byDue = (a: OpenReceivable, b: OpenReceivable) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id);
  const dueSoon = open.filter((r) => r.dueDate >= date && r.dueDate <= soonEnd).sort(byDue);
  const overdue = open.filter((r) => r.dueDate < date).sort(byDue);
  const groups = new Map<number, PaymentDigest['overdueByLevel'][number]>();
  for (const r of overdue) {
    const reached = levelReached(policy, r.dueDate, date);
    const level = reached && reached.offsetDays > 0 ? reached : undefined;
    const key = level?.level ?? 0;
    let group = groups.get(key);
    if (!group) {
      group = { level: key, labelZh: level?.labelZh ?? '已逾期', labelEn: level?.labelEn ?? 'Overdue', items: [], total: 0 };
      groups.set(key, group);
    }
    group.items.push(r);
    group.total += r.open;
  }
  const sum = (list: OpenReceivable[]) => list.reduce((s, r) => s + r.open, 0);
  return {
    date,
    dueSoon,
    overdueByLevel: [...groups.values()].sort((a, b) => b.level - a.level),
    creditHolds: input.creditHolds,
    remindersSent: input.remindersSent,
    totals: { dueSoon: sum(dueSoon), overdue: sum(overdue), open: sum(open), currency: open[0]?.currency ?? 'CNY' },
  };
}

export function isEmptyDigest(digest: PaymentDigest): boolean {
  return digest.dueSoon.length === 0 && digest.overdueByLevel.length === 0 && digest.creditHolds.length === 0;
}

const RECEIVABLE_COLUMNS = ['发票号 / Invoice', '经销商 / Dealer', '订单 / Order', '到期日 / Due', '天数 / Days', '未收 / Open'];

function receivableRows(items: OpenReceivable[], date: string, dealerName: (id: string) => string): string[][] {
  return items.map((r) => [r.invoiceNumber, dealerName(r.dealerId), r.orderNumber, r.dueDate, String(daysBetween(r.dueDate, date)), formatYuan(r.open)]);
}

export function financeDigestEmail(to: string[], digest: PaymentDigest, dealerName: (id: string) => string): EmailMessage {
  const sections: EmailSection[] = [
    {
      titleZh: '即将到期应收',
      titleEn: 'Receivables due soon',
      columns: RECEIVABLE_COLUMNS,
      rows: receivableRows(digest.dueSoon, digest.date, dealerName),
      total: ['合计 / Total', '', '', '', '', formatYuan(digest.totals.dueSoon)],
    },
    ...digest.overdueByLevel.map((group) => ({
      titleZh: `逾期应收 — ${group.labelZh}`,
      titleEn: `Overdue — ${group.labelEn}`,
      columns: RECEIVABLE_COLUMNS,
      rows: receivableRows(group.items, digest.date, dealerName),
      total: ['合计 / Total', '', '', '', '', formatYuan(group.total)],
    })),
    {
      titleZh: '新增信用冻结',
      titleEn: 'New credit holds',
      columns: ['经销商 / Dealer', '原因 / Reason'],
      rows: digest.creditHolds.map((h) => [h.dealerName ?? dealerName(h.dealerId), h.reason ?? '']),
    },
  ];
  return renderEmail(to, {
    subjectZh: `应收账款日报 ${digest.date}`,
    subjectEn: `Daily receivables digest ${digest.date}`,
    introZh: `截至 ${digest.date}：即将到期 ${digest.dueSoon.length} 笔，逾期 ${digest.overdueByLevel.reduce((n, g) => n + g.items.length, 0)} 笔，今日发送催款提醒 ${digest.remindersSent} 笔。`,
    introEn: `As of ${digest.date}: ${digest.dueSoon.length} due soon, ${digest.overdueByLevel.reduce((n, g) => n + g.items.length, 0)} overdue, ${digest.remindersSent} dunning reminders sent today.`,
    sections,
    summary: [
      `即将到期合计 / Due soon total: ${formatYuan(digest.totals.dueSoon)}`,
      `逾期合计 / Overdue total: ${formatYuan(digest.totals.overdue)}`,
      `应收总额 / Total open: ${formatYuan(digest.totals.open)}`,
    ],
  });
}

/** The dealer's addresses: the primary contact first, each address once. */
export function dealerRecipients(dealer: DealerMailbox): string[] {
  const contacts = [...dealer.contacts].sort((a, b) => Number(b.primary) - Number(a.primary));
  return [...new Set(contacts.flatMap((c) => (c.email ? [c.email] : [])))];
}

export function dealerReminderEmail(to: string[], dealer: DealerMailbox, items: DunningDue[], date: string): EmailMessage {
  const highest = items.reduce((max, i) => (i.level.level > max.level ? i.level : max), items[0]!.level);
  const total = items.reduce((s, i) => s + i.receivable.open, 0);
  const overdue = highest.offsetDays > 0;
  return renderEmail(to, {
    subjectZh: `${overdue ? '付款催告' : '付款提醒'}：${dealer.name} ${formatYuan(total)}`,
    subjectEn: `${overdue ? 'Payment overdue' : 'Payment reminder'}: ${dealer.code} ${formatYuan(total)}`,
    introZh: `尊敬的${dealer.name}：以下发票${overdue ? '已逾期' : '即将到期'}，请尽快安排付款。如已付款，请忽略本邮件。`,
    introEn: `Dear ${dealer.name}, the invoices below ${overdue ? 'are overdue' : 'fall due soon'}; please arrange payment. If you have already paid, please disregard this message.`,
    sections: [
      {
        titleZh: '待付款发票',
        titleEn: 'Invoices to pay',
        columns: ['发票号 / Invoice', '订单 / Order', '到期日 / Due', '提醒级别 / Level', '发票金额 / Amount', '未付 / Open'],
        rows: items.map(({ receivable: r, level }) => [r.invoiceNumber, r.orderNumber, r.dueDate, `${level.labelZh} / ${level.labelEn}`, formatYuan(r.amount), formatYuan(r.open)]),
        total: ['合计 / Total', '', '', '', '', formatYuan(total)],
      },
    ],
    summary: [`应付合计 / Total due: ${formatYuan(total)}`],
  });
}

export interface PaymentAlertRun {
  date: string;
  receivablesRead: number;
  remindersSent: number;
  dealerEmails: number;
  dealersWithoutEmail: string[];
  digest: 'sent' | 'already_sent' | 'empty' | 'no_recipients';
}

/** Bounded parallelism for marker claims and sends. */
async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return out;
}

export async function runPaymentAlerts(ports: PaymentAlertPorts, config: PaymentAlertConfig, date: string): Promise<PaymentAlertRun> {
  const { policy } = config;
  const receivables = await ports.openReceivablesDueBefore(addDays(dueHorizon(policy, date, config.lookAheadDays), 1));

  // 1. Dunning: candidates not sent yet, re-read consistently (a payment an instant ago resolves
  //    its dunning), then each (receivable, level) claimed once; only claimed ones are mailed.
  const sent = await ports.markers.sentDunning(dunningCandidates(receivables, policy, date, config.catchUpDays).map((c) => ({ receivableId: c.receivable.id, level: c.level.level })));
  const candidates = dunningCandidates(receivables, policy, date, config.catchUpDays).filter((c) => !sent.has(`${c.receivable.id}#${c.level.level}`));
  const confirmed = new Map((await ports.stillOpen(candidates.map((c) => c.receivable.id))).map((r) => [r.id, r]));
  const live = candidates.flatMap((c) => {
    const fresh = confirmed.get(c.receivable.id);
    return fresh && fresh.open > 0 && (fresh.status === 'open' || fresh.status === 'partially_paid') ? [{ receivable: fresh, level: c.level }] : [];
  });
  const dealerIds = [...new Set([...live.map((c) => c.receivable.dealerId), ...receivables.map((r) => r.dealerId)])];
  const dealers = await ports.dealers(dealerIds);
  // A dealer without an email address is not claimed: once a contact has one, the level still
  // goes out (within the catch-up window). Finance sees such dealers in the run result.
  const dealersWithoutEmail = [...new Set(live.map((c) => c.receivable.dealerId))].filter((id) => !dealers.get(id) || dealerRecipients(dealers.get(id)!).length === 0);
  const reachable = live.filter((c) => !dealersWithoutEmail.includes(c.receivable.dealerId));
  const won = (await inBatches(reachable, 25, async (c) => ((await ports.markers.claimDunning(c.receivable.id, c.level.level, date)) ? c : undefined))).filter(
    (c): c is DunningDue => c !== undefined,
  );
  const byDealer = new Map<string, DunningDue[]>();
  for (const c of won) byDealer.set(c.receivable.dealerId, [...(byDealer.get(c.receivable.dealerId) ?? []), c]);
  let dealerEmails = 0;
  await inBatches([...byDealer], 10, async ([dealerId, items]) => {
    const dealer = dealers.get(dealerId)!;
    const to = dealerRecipients(dealer);
    items.sort((a, b) => a.receivable.dueDate.localeCompare(b.receivable.dueDate) || a.receivable.id.localeCompare(b.receivable.id));
    await ports.mailer.send(dealerReminderEmail(to, dealer, items, date));
    dealerEmails += 1;
  });

  // 2. The finance digest, once per business date.
  const creditHolds = await ports.creditHolds(date);
  const digest = buildPaymentDigest({ date, receivables, policy, lookAheadDays: config.lookAheadDays, creditHolds, remindersSent: won.length });
  const run: Omit<PaymentAlertRun, 'digest'> = { date, receivablesRead: receivables.length, remindersSent: won.length, dealerEmails, dealersWithoutEmail };
  if (isEmptyDigest(digest)) return { ...run, digest: 'empty' };
  if (config.financeEmails.length === 0) return { ...run, digest: 'no_recipients' };
  if (!(await ports.markers.claimAlert(PAYMENT_DIGEST_KIND, 'finance', date, { items: digest.dueSoon.length + digest.overdueByLevel.reduce((n, g) => n + g.items.length, 0) }))) {
    return { ...run, digest: 'already_sent' };
  }
  const name = (id: string) => (dealers.get(id) ? `${dealers.get(id)!.name} (${dealers.get(id)!.code})` : id);
  await ports.mailer.send(financeDigestEmail(config.financeEmails, digest, name));
  return { ...run, digest: 'sent' };
}
