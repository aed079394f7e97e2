import { runtime } from '../../functions/adapters/runtime';
import { dms } from '../../functions/adapters/dynamo/service';
import { DEMO_REGIONS, demoDealers, demoUsers } from './demo-data';
import type { TokenRequest } from './jwt';
import { seedContext } from './seed-context';
import { CONTEXT_SEEDS, type DemoWorld } from './seed-contexts';

/** Reference data only (no audit trail needed): the sales regions. Safe to repeat. */
export async function seedRegions(): Promise<void> {
  await dms().entities.region.put(DEMO_REGIONS).go();
}

/**
 * Loads the demo data once: regions, then dealers registered and moved through their statuses
 * by the same use cases the API calls, so the audit log and events show real history.
 * Returns the demo users (one per role); a second run finds the data and only rebuilds those.
 */
export async function seedDemoData(): Promise<{ seeded: boolean; users: TokenRequest[] }> {
  const dealers = demoDealers();
  const firstActive = dealers.find((d) => d.status === 'active')!;
  const existing = await dms().entities.dealerCode.get({ code: firstActive.input.code }).go();
  if (existing.data) return { seeded: false, users: demoUsers(existing.data.dealerId) };

  await seedRegions();
  const service = runtime().dealers;
  let firstActiveId = '';
  const world: DemoWorld = { dealers: [] };
  for (const demo of dealers) {
    const { dealer } = await service.register(seedContext(), demo.input);
    world.dealers.push({ id: dealer.id, code: dealer.code, region: dealer.region, status: demo.status });
    if (demo === firstActive) firstActiveId = dealer.id;
    let version = dealer.version;
    const path: string[] = demo.status === 'prospect' ? [] : demo.status === 'active' ? ['active'] : ['active', demo.status];
    for (const status of path) {
      const reason = status === 'active' ? '资质审核通过，签订年度经销协议' : status === 'suspended' ? '连续两期逾期回款，暂停发货' : '合同到期不再续约';
      const { dealer: changed } = await service.changeStatus(seedContext(), dealer.id, version, { status: status as 'active', reason });
      version = changed.version;
    }
  }
  for (const seedContextDemo of CONTEXT_SEEDS) await seedContextDemo(world);
  return { seeded: true, users: demoUsers(firstActiveId) };
}
