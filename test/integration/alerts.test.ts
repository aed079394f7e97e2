import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receivable } from '../../domain/credit/credit-profile';
import type { Dealer } from '../../domain/dealers/dealer';
import { formatYuan } from '../../domain/invoicing/invoice';
import { addDays } from '../../domain/shared/business-date';
import { dunningHistory } from '../../functions/adapters/dynamo/alert-store';
import { getCreditProfile } from '../../functions/adapters/dynamo/credit-repository';
import { dms } from '../../functions/adapters/dynamo/service';
import { stockStore } from '../../functions/adapters/dynamo/stock-store';
import { scheduleByName } from '../../functions/schedules/registry';
import { configureScheduleMailer } from '../../functions/schedules/runtime';
import { createWarehouse, putActiveDealer, setCredit } from '../support/orders-world';
import { startTestTwin, type TestTwin } from '../support/twin';

/**
 * The alert schedules on the twin's engines: the handlers the table lists, called with
 * successive `date`s (what `npm run schedule -- <name> --date …` does), writing real .eml files
 * that mailparser reads back.
 */

let twin: TestTwin;
let outbox: string;
const seen = new Set<string>();

interface Mail {
  file: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

/** The .eml files written since the last call, parsed. */
async function newMail(): Promise<Mail[]> {
  const files = (await readdir(outbox).catch(() => [] as string[])).filter((f) => f.endsWith('.eml') && !seen.has(f)).sort();
  const out: Mail[] = [];
  for (const file of files) {
    seen.add(file);
    const parsed = await simpleParser(await readFile(join(outbox, file)));
    const to = [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
    out.push({ file, to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', parsed });
  }
  return out;
}

async function run(name: string, date: string): Promise<any> {
  return (await scheduleByName(name).load())({ date });
}

let invoiceSeq = 0;
async function putReceivable(dealer: Dealer, dueDate: string, amount: number, paid = 0): Promise<Receivable> {
  invoiceSeq += 1;
  const id = `INV-T${Date.now().toString(36).toUpperCase()}${invoiceSeq}`;
  const at = new Date().toISOString();
  const status = paid === 0 ? 'open' : paid >= amount ? 'paid' : 'partially_paid';
  const receivable: Receivable = {
    id,
    invoiceNumber: id,
    orderId: `order-${id}`,
    orderNumber: `SO-${id}`,
    dealerId: dealer.id,
    region: dealer.region,
    currency: 'CNY',
    amount,
    paid,
    open: amount - paid,
    issueDate: addDays(dueDate, -30),
    dueDate,
    status,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await dms().entities.receivable.create({ ...receivable, openState: status === 'paid' ? 'closed' : 'open' } as never).go();
  return receivable;
}

/** A payment settles the receivable (what the payment transaction does to it). */
async function markPaid(receivable: Receivable): Promise<void> {
  await dms()
    .entities.receivable.put({ ...receivable, paid: receivable.amount, open: 0, status: 'paid', openState: 'closed', version: receivable.version + 1, updatedAt: new Date().toISOString() } as never)
    .go();
}

beforeAll(async () => {
  outbox = await mkdtemp(join(tmpdir(), 'dms-outbox-'));
  process.env.DMS_OUTBOX_DIR = outbox;
  process.env.DMS_FINANCE_EMAILS = 'finance@dms.example, controller@dms.example';
  process.env.DMS_WAREHOUSE_EMAILS = 'warehouse@dms.example';
  configureScheduleMailer(undefined);
  twin = await startTestTwin();
});

afterAll(async () => {
  await twin?.close();
});

describe('payment alerts: a simulated month', () => {
  it('sends each dunning level on its day exactly once, stops after payment, and one finance digest a day', async () => {
    const alpha = await putActiveDealer('CN-EAST', { contacts: [{ name: '王会计', email: 'ap@alpha.example', primary: true }, { name: '李总', email: 'boss@alpha.example', primary: false }] });
    const beta = await putActiveDealer('CN-SOUTH', { contacts: [{ name: '赵经理', email: 'pay@beta.example', primary: true }] });
    const mute = await putActiveDealer('CN-EAST', { contacts: [{ name: '无邮箱', mobile: '13800138000', primary: true }] });
    // The daily run reviews credit holds (debt overdue > 30 days, the default approval policy):
    // alpha goes on hold on 04-10 (r1 due 03-10), mute on 04-15; beta is on hold already, so it is never "new".
    await setCredit(alpha, { creditLimit: 10_000_000_00 });
    await setCredit(beta, { creditLimit: 0, creditHold: true, creditHoldReason: '手工冻结 Manual hold' });

    const r1 = await putReceivable(alpha, '2026-03-10', 1_000_00); // levels 03-07, 03-11, 03-25, 04-09
    const r2 = await putReceivable(alpha, '2026-03-20', 2_345_67); // 03-17, 03-21; paid 03-23 → nothing after
    const r3 = await putReceivable(beta, '2026-03-05', 500_00, 200_00); // partially paid: 03-02, 03-06, 03-20, 04-04
    await putReceivable(beta, '2026-03-05', 800_00, 800_00); // paid: never dunned, never listed
    const r5 = await putReceivable(mute, '2026-03-15', 300_00); // no email: no reminder, listed for finance

    const days: string[] = [];
    for (let d = '2026-03-01'; d <= '2026-04-30'; d = addDays(d, 1)) days.push(d);
    const dealerMail: string[] = [];
    const digests = new Map<string, Mail>();
    for (const day of days) {
      if (day === '2026-03-23') await markPaid(r2);
      const result = await run('payment-alerts', day);
      // A retried invocation of the same day sends nothing more.
      const again = await run('payment-alerts', day);
      expect(again.remindersSent, day).toBe(0);
      expect(['already_sent', 'empty']).toContain(again.digest);
      for (const mail of await newMail()) {
        if (mail.to.includes('finance@dms.example')) {
          expect(digests.has(day), `second digest on ${day}`).toBe(false);
          digests.set(day, mail);
        } else {
          const invoices = [r1, r2, r3, r5].filter((r) => mail.text.includes(r.invoiceNumber)).map((r) => r.invoiceNumber);
          dealerMail.push(`${day} ${mail.to.join(',')} ${invoices.join(',')}`);
        }
      }
      if (day === '2026-03-15') expect(result.dealersWithoutEmail).toEqual([mute.id]);
    }

    expect(dealerMail).toEqual([
      `2026-03-02 pay@beta.example ${r3.id}`,
      `2026-03-06 pay@beta.example ${r3.id}`,
      `2026-03-07 ap@alpha.example,boss@alpha.example ${r1.id}`,
      `2026-03-11 ap@alpha.example,boss@alpha.example ${r1.id}`,
      `2026-03-17 ap@alpha.example,boss@alpha.example ${r2.id}`,
      `2026-03-20 pay@beta.example ${r3.id}`,
      `2026-03-21 ap@alpha.example,boss@alpha.example ${r2.id}`,
      `2026-03-25 ap@alpha.example,boss@alpha.example ${r1.id}`,
      `2026-04-04 pay@beta.example ${r3.id}`,
      `2026-04-09 ap@alpha.example,boss@alpha.example ${r1.id}`,
    ]);
    expect(await dunningHistory(r1.id)).toEqual([
      { level: 1, date: '2026-03-07' },
      { level: 2, date: '2026-03-11' },
      { level: 3, date: '2026-03-25' },
      { level: 4, date: '2026-04-09' },
    ]);
    expect((await dunningHistory(r2.id)).map((m) => m.level)).toEqual([1, 2]);
    expect(await dunningHistory(r5.id)).toEqual([]);
    // Something is open or due every day of the month: one digest each day.
    expect([...digests.keys()]).toEqual(days);

    // The digest of 03-14: r2 and r5 due within 7 days; r1 and r3 overdue at level 2 (+1 … +14 days).
    const digest = digests.get('2026-03-14')!;
    expect(digest.subject).toBe('应收账款日报 2026-03-14 / Daily receivables digest 2026-03-14');
    expect(digest.to).toEqual(['finance@dms.example', 'controller@dms.example']);
    expect(digest.parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(digest.text.length).toBeGreaterThan(0);
    expect(digest.html).toContain('<table');
    const soon = digest.text.slice(digest.text.indexOf('即将到期应收'), digest.text.indexOf('逾期应收'));
    expect(soon).toContain(r2.id);
    expect(soon).toContain(r5.id);
    expect(soon).toContain(formatYuan(2_345_67 + 300_00));
    const overdue = digest.text.slice(digest.text.indexOf('逾期应收 — 逾期1天催款'));
    expect(overdue).toContain(r1.id);
    expect(overdue).toContain(r3.id);
    expect(overdue).toContain(formatYuan(1_000_00 + 300_00));
    expect(digest.text).toContain('新增信用冻结 / New credit holds\n  无 / None');
    expect(digest.text).toContain(`应收总额 / Total open: ${formatYuan(1_000_00 + 2_345_67 + 300_00 + 300_00)}`);
    expect(digest.html).toContain(formatYuan(2_345_67));
    expect(digest.text).not.toContain(`${formatYuan(800_00)}`);

    // After the payment on 03-23 r2 is no longer listed.
    expect(digests.get('2026-03-24')!.text).not.toContain(r2.id);
    expect(digests.get('2026-04-10')!.text).toContain('最终催款通知');
    const holds = (day: string) => digests.get(day)!.text.slice(digests.get(day)!.text.indexOf('新增信用冻结'));
    for (const day of days.filter((d) => d !== '2026-04-10' && d !== '2026-04-15')) expect(holds(day), day).toContain('无 / None');
    expect(holds('2026-04-10')).toContain(alpha.name);
    expect(holds('2026-04-15')).toContain(mute.name); // r5 due 03-15
    expect(holds('2026-04-15')).not.toContain(alpha.name);
    expect(holds('2026-04-10')).toContain('逾期欠款');
    expect(holds('2026-04-10')).not.toContain(beta.name);
    expect((await getCreditProfile(alpha.id)).creditHold).toBe(true);
  }, 120_000);
});

describe('stock alerts', () => {
  it('lists exactly the levels below the reorder point (with suggested quantities) and above the overstock level, once a day', async () => {
    const warehouse = await createWarehouse('CN-EAST');
    const put = async (sku: string, onHand: number, reserved: number, reorderPoint?: number, overstockLevel?: number) => {
      await dms()
        .entities.stockLevel.put({ locationCode: warehouse.code, sku, onHand, reserved, available: onHand - reserved, ...(reorderPoint !== undefined ? { reorderPoint } : {}), ...(overstockLevel !== undefined ? { overstockLevel } : {}), version: 1, updatedAt: new Date().toISOString() })
        .go();
      await stockStore.settleAlerts(warehouse, sku);
    };
    await put('SKU-LOW', 5, 0, 10, 50); // below: 45
    await put('SKU-LOW-NO-CAP', 4, 0, 20); // below: 36
    await put('SKU-RESERVED', 30, 25, 10, 40); // below (available 5): min(35, 10) = 10
    await put('SKU-HIGH', 120, 0, 10, 100); // above by 20
    await put('SKU-OK', 30, 0, 10, 100); // fine
    await put('SKU-NONE', 1, 0); // no thresholds
    await put('SKU-RECOVERED', 2, 0, 10, 100); // alert raised …
    await dms().entities.stockLevel.patch({ locationCode: warehouse.code, sku: 'SKU-RECOVERED' }).set({ onHand: 60, available: 60 }).go(); // … then stock arrived, not yet settled

    const first = await run('stock-alerts', '2026-03-02');
    expect(first).toMatchObject({ below: 3, above: 1, digest: 'sent' });
    const [mail, ...more] = await newMail();
    expect(more).toHaveLength(0);
    expect(mail!.to).toEqual(['warehouse@dms.example']);
    expect(mail!.subject).toContain('低于补货点 3 项，超储 1 项');
    const below = mail!.text.slice(mail!.text.indexOf('低于补货点 / Below'), mail!.text.indexOf('超过超储上限 / Above'));
    const above = mail!.text.slice(mail!.text.indexOf('超过超储上限 / Above'));
    const rows = (section: string) => section.split('\n').filter((l) => l.includes(warehouse.code)).map((l) => l.trim().split(' | '));
    expect(rows(below).map((r) => [r[1], r[7]])).toEqual([
      ['SKU-LOW', '45'],
      ['SKU-LOW-NO-CAP', '36'],
      ['SKU-RESERVED', '10'],
    ]);
    expect(rows(above).map((r) => [r[1], r[4]])).toEqual([['SKU-HIGH', '20']]);
    expect(mail!.html).toContain('SKU-RESERVED');

    expect(await run('stock-alerts', '2026-03-02')).toMatchObject({ digest: 'already_sent' });
    expect(await newMail()).toHaveLength(0);
    expect(await run('stock-alerts', '2026-03-03')).toMatchObject({ digest: 'sent' });
    expect(await newMail()).toHaveLength(1);
  });
});

describe('credit re-evaluation', () => {
  it('re-scores the dealers once per month through the schedule row', async () => {
    const first = await run('credit-reevaluation', '2026-05-01');
    expect(first.failed).toEqual([]);
    expect(first.evaluated).toBeGreaterThan(0);
    const again = await run('credit-reevaluation', '2026-05-01');
    expect(again).toMatchObject({ evaluated: 0, skipped: first.evaluated + first.skipped, failed: [] });
  });
});

describe('npm run schedule on a running twin', () => {
  it('fires a schedule through the twin-only endpoint with an admin token, refuses others', async () => {
    const admin = await twin.token('admin');
    const finance = await twin.token('finance');
    const fire = (token: string | undefined, path: string) => fetch(`${twin.url}/_twin/schedules/${path}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await fire(undefined, 'stock-alerts?date=2026-03-05')).status).toBe(401);
    expect((await fire(finance, 'stock-alerts?date=2026-03-05')).status).toBe(401);
    expect((await fire(admin, 'nope')).status).toBe(404);
    const ok = await fire(admin, 'stock-alerts?date=2026-03-05');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ schedule: 'stock-alerts', result: { date: '2026-03-05', digest: 'sent' } });
    expect(await newMail()).toHaveLength(1);
  });
});
