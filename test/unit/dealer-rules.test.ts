import { describe, expect, it } from 'vitest';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import { changedFields } from '../../domain/audit/audit-entry';
import { DEALER_STATUSES, DealerChangesSchema, NewDealerSchema, canTransition, nameSearchKey, type Dealer } from '../../domain/dealers/dealer';
import { redactDealer } from '../../domain/dealers/dealer-service';

describe('dealer status transitions', () => {
  it('allows exactly prospect→active|terminated, active→suspended|terminated, suspended→active|terminated', () => {
    const allowed = DEALER_STATUSES.flatMap((from) => DEALER_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(
      ['prospect→active', 'prospect→terminated', 'active→suspended', 'active→terminated', 'suspended→active', 'suspended→terminated'].sort(),
    );
  });
});

describe('dealer input rules', () => {
  const valid = {
    code: 'd-sh-001',
    name: '上海恒通商贸有限公司',
    uscc: '91350100M000100Y43',
    tier: 'gold',
    channelType: 'distributor',
    region: 'CN-EAST',
  };

  it('normalizes the code to upper case and defaults lists', () => {
    const parsed = NewDealerSchema.parse(valid);
    expect(parsed.code).toBe('D-SH-001');
    expect(parsed.contacts).toEqual([]);
  });

  it('rejects unknown fields, two primary contacts, and two default billing addresses', () => {
    expect(NewDealerSchema.safeParse({ ...valid, creditLimit: 1 }).success).toBe(false);
    const contact = { name: '甲', primary: true };
    expect(NewDealerSchema.safeParse({ ...valid, contacts: [contact, { ...contact, name: '乙' }] }).success).toBe(false);
    const address = { type: 'billing', province: '上海市', city: '上海', street: '世纪大道1号', isDefault: true };
    expect(NewDealerSchema.safeParse({ ...valid, addresses: [address, address] }).success).toBe(false);
    expect(NewDealerSchema.safeParse({ ...valid, addresses: [address, { ...address, type: 'shipping' }] }).success).toBe(true);
  });

  it('a change must change something and cannot touch code or status', () => {
    expect(DealerChangesSchema.safeParse({}).success).toBe(false);
    expect(DealerChangesSchema.safeParse({ code: 'X' }).success).toBe(false);
    expect(DealerChangesSchema.safeParse({ status: 'active' }).success).toBe(false);
    expect(DealerChangesSchema.safeParse({ tier: 'silver' }).success).toBe(true);
  });

  it('name search keys are case-insensitive and width-normalized', () => {
    expect(nameSearchKey(' ＡＢＣ商贸 ')).toBe('abc商贸');
  });
});

describe('property-level rule', () => {
  const dealer = { id: 'D1', internalNotes: 'secret', riskRating: 'high', name: 'x' } as unknown as Dealer;
  it('removes internal fields for principals without dealers:read_internal', () => {
    const identity = { userId: 'u', username: 'u', roles: [], regions: [], dealerId: 'D1' };
    const dealerUser = resolvePrincipal(identity, [BUILT_IN_ROLES.get('dealer_user')!]);
    const finance = resolvePrincipal(identity, [BUILT_IN_ROLES.get('finance')!]);
    expect(redactDealer(dealerUser, dealer)).toEqual({ id: 'D1', name: 'x' });
    expect(redactDealer(finance, dealer)).toBe(dealer);
  });
});

describe('audit diff', () => {
  it('lists changed top-level fields with before/after, ignoring version and updatedAt', () => {
    expect(changedFields({ a: 1, b: [1], c: 'x', version: 1, updatedAt: 't1' }, { a: 1, b: [2], d: true, version: 2, updatedAt: 't2' })).toEqual({
      b: { before: [1], after: [2] },
      c: { before: 'x' },
      d: { after: true },
    });
    expect(changedFields(undefined, { a: 1 })).toEqual({ a: { after: 1 } });
  });
});
