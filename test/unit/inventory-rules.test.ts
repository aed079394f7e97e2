import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { Location } from '../../domain/inventory/location';
import { canSeeLocation } from '../../domain/inventory/location-service';
import { InsufficientStockError, LocationFrozenError, StaleLevelError, alertStates, crossings, sumMovements } from '../../domain/inventory/stock';
import { thresholdEvents } from '../../domain/inventory/stock-service';
import { ledgerFailure, ledgerItemCount, type LedgerChange } from '../../functions/adapters/dynamo/stock-ledger';

const change = (overrides: Partial<LedgerChange> = {}): LedgerChange => ({ locationCode: 'WH-1', sku: 'SKU-1', onHandDelta: 0, reservedDelta: 1, type: 'reservation', ...overrides });
const reason = (code: string) => ({ rejected: code !== 'None', code });

describe('threshold rules', () => {
  it('below the reorder point means available (not on-hand) under it; above overstock means on-hand over it', () => {
    expect(alertStates({ onHand: 20, reserved: 12, reorderPoint: 10 })).toEqual({ below_reorder_point: true, above_overstock: false });
    expect(alertStates({ onHand: 20, reserved: 10, reorderPoint: 10 })).toEqual({ below_reorder_point: false, above_overstock: false });
    expect(alertStates({ onHand: 101, reserved: 100, overstockLevel: 100 })).toEqual({ below_reorder_point: false, above_overstock: true });
    expect(alertStates({ onHand: 0, reserved: 0 })).toEqual({ below_reorder_point: false, above_overstock: false });
  });

  it('only entering an alert is announced: down, up, down = 2 announcements', () => {
    const path = [20, 8, 7, 15, 9];
    let raised = { below_reorder_point: false, above_overstock: false };
    let announced = 0;
    for (const onHand of path) {
      const now = alertStates({ onHand, reserved: 0, reorderPoint: 10 });
      announced += crossings(raised, now).filter((c) => c.entering).length;
      raised = now;
    }
    expect(announced).toBe(2);
  });

  it('property: over any walk, announcements = number of entries into the alert', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -30, max: 30 }), { maxLength: 60 }), fc.integer({ min: 0, max: 50 }), (steps, reorderPoint) => {
        let onHand = 100;
        let raised = { below_reorder_point: false, above_overstock: false };
        let announced = 0;
        let entries = 0;
        let wasBelow = false;
        for (const step of steps) {
          onHand = Math.max(0, onHand + step);
          const below = onHand < reorderPoint;
          if (below && !wasBelow) entries += 1;
          wasBelow = below;
          const now = alertStates({ onHand, reserved: 0, reorderPoint });
          announced += crossings(raised, now).filter((c) => c.entering).length;
          raised = now;
        }
        expect(announced).toBe(entries);
      }),
    );
  });

  it('events carry the level and the threshold that was crossed', () => {
    const level = { locationCode: 'WH-1', sku: 'S', onHand: 9, reserved: 2, reorderPoint: 10, overstockLevel: 5, version: 3, updatedAt: 'x' };
    const events = thresholdEvents(
      [
        { locationCode: 'WH-1', sku: 'S', kind: 'below_reorder_point', region: 'CN-EAST', since: 'x' },
        { locationCode: 'WH-1', sku: 'S', kind: 'above_overstock', region: 'CN-EAST', dealerId: 'D', since: 'x' },
      ],
      level,
    );
    expect(events).toEqual([
      { type: 'stock.below_reorder_point.v1', detail: { locationCode: 'WH-1', sku: 'S', region: 'CN-EAST', onHand: 9, reserved: 2, available: 7, reorderPoint: 10 } },
      { type: 'stock.above_overstock.v1', detail: { locationCode: 'WH-1', sku: 'S', region: 'CN-EAST', dealerId: 'D', onHand: 9, reserved: 2, available: 7, overstockLevel: 5 } },
    ]);
  });
});

describe('the ledger’s transaction layout', () => {
  it('counts 2 items per change plus one freeze check per distinct location', () => {
    const changes = [change(), change({ sku: 'SKU-2' }), change({ locationCode: 'WH-2' })];
    expect(ledgerItemCount(changes)).toBe(8);
    expect(ledgerItemCount(changes, { ignoreFreeze: true })).toBe(6);
  });

  it('maps cancellation reasons back to the change or location that failed', () => {
    const changes = [change({ sku: 'A' }), change({ sku: 'B', reservedDelta: 3 }), change({ locationCode: 'WH-2', sku: 'C', onHandDelta: 5, reservedDelta: 0 })];
    const none = Array.from({ length: 8 }, () => reason('None'));
    const short = [...none];
    short[2] = reason('ConditionalCheckFailed');
    const error = ledgerFailure(short, changes);
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect(error).toMatchObject({ code: 'insufficient_stock', sku: 'B', requested: 3 });

    const frozen = [...none];
    frozen[7] = reason('ConditionalCheckFailed');
    expect(ledgerFailure(frozen, changes)).toEqual(new LocationFrozenError('WH-2'));

    const stale = [reason('None'), ...none];
    stale[1] = reason('ConditionalCheckFailed');
    expect(ledgerFailure(stale, [change({ expectedVersion: 4 })], { offset: 1 })).toBeInstanceOf(StaleLevelError);
    expect(ledgerFailure(none, changes)).toBeUndefined();
  });

  it('movements sum to the level', () => {
    expect(sumMovements([{ onHandDelta: 10, reservedDelta: 0 }, { onHandDelta: 0, reservedDelta: 3 }, { onHandDelta: -3, reservedDelta: -3 }])).toEqual({ onHand: 7, reserved: 0 });
  });
});

describe('who sees a location', () => {
  const warehouse: Location = { code: 'WH-1', name: 'w', kind: 'warehouse', region: 'CN-EAST', status: 'active', createdAt: 'x', updatedAt: 'x', version: 1 };
  const store: Location = { ...warehouse, code: 'D-1', kind: 'dealer_store', dealerId: 'DEALER-A', region: 'CN-SOUTH' };
  const principal = (role: string, extra: { dealerId?: string; regions?: string[] } = {}) =>
    resolvePrincipal({ userId: 'u', username: 'u', roles: [role], regions: extra.regions ?? [], ...(extra.dealerId ? { dealerId: extra.dealerId } : {}) }, [BUILT_IN_ROLES.get(role)!]);

  it('dealers: only their own locations; regional staff: every warehouse and their regions’ dealer locations; HQ: all', () => {
    expect(canSeeLocation(principal('dealer_user', { dealerId: 'DEALER-A' }), store)).toBe(true);
    expect(canSeeLocation(principal('dealer_user', { dealerId: 'DEALER-B' }), store)).toBe(false);
    expect(canSeeLocation(principal('dealer_user', { dealerId: 'DEALER-A' }), warehouse)).toBe(false);
    expect(canSeeLocation(principal('sales_manager', { regions: ['CN-EAST'] }), warehouse)).toBe(true);
    expect(canSeeLocation(principal('sales_manager', { regions: ['CN-EAST'] }), store)).toBe(false);
    expect(canSeeLocation(principal('sales_manager', { regions: ['CN-SOUTH'] }), store)).toBe(true);
    expect(canSeeLocation(principal('warehouse'), store)).toBe(true);
  });
});
