import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../../domain/audit/audit-entry';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import { ConflictError } from '../../domain/shared/errors';
import { formatDocumentNumber } from '../../domain/shared/document-number';
import { auditItem } from '../../functions/adapters/dynamo/audit-log';
import { writeNumbered } from '../../functions/adapters/dynamo/document-numbering';
import { dms } from '../../functions/adapters/dynamo/service';
import { conditionFailed } from '../../functions/adapters/dynamo/transaction';
import { startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

const principal = resolvePrincipal({ userId: 'numbering-test', username: 'n', roles: ['admin'], regions: [] }, [BUILT_IN_ROLES.get('admin')!]);
let ids = 0;
const ctx = () => ({ principal, requestId: `r${(ids += 1)}`, now: new Date(), newId: () => `ID${Date.now()}${(ids += 1)}` });

/** A document stand-in: the audit record of "issuing" it, keyed by the document (entity id), so a second issue of the same document fails its condition. */
function issue(year: number, documentKey: string) {
  return writeNumbered(
    'INV',
    year,
    (entities, number) => [
      entities.audit
        .create(auditItem({ ...auditEntry(ctx(), 'invoice.issued', { type: 'invoice_probe', id: `${year}-${documentKey}` }, undefined, { number }), id: 'FIXED', at: '2026-01-01T00:00:00.000Z' }))
        .commit(),
    ],
    (reasons) => (conditionFailed(reasons, 0) ? new ConflictError('already_issued', `${documentKey} was issued already`) : undefined),
  );
}

describe('gapless document numbers', () => {
  it('formats numbers per type and year', () => {
    expect(formatDocumentNumber('INV', 2026, 1)).toBe('INV-2026-000001');
    expect(formatDocumentNumber('DN', 2027, 1234567)).toBe('DN-2027-1234567');
    expect(() => formatDocumentNumber('SO', 2026, 0)).toThrow();
  });

  it('50 concurrent issues get 1…50 exactly once', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => issue(2031, `doc-${i}`)));
    expect(results.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const counter = await dms().entities.documentCounter.get({ docType: 'INV', year: 2031 }).go({ consistent: true });
    expect(counter.data?.last).toBe(50);
  });

  it('a document whose own write fails consumes no number; series are per year', async () => {
    expect((await issue(2032, 'same')).number).toBe('INV-2032-000001');
    await expect(issue(2032, 'same')).rejects.toMatchObject({ code: 'already_issued' });
    await expect(issue(2032, 'same')).rejects.toMatchObject({ code: 'already_issued' });
    expect((await issue(2032, 'other')).number).toBe('INV-2032-000002');
    expect((await issue(2033, 'other')).number).toBe('INV-2033-000001');
  });
});
