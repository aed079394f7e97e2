/**
 * Demo data of the catalog, inventory, stocktakes and channel contexts, loaded by seed.ts after
 * the dealers on a fresh twin. Each context adds its own loader here.
 */
export interface DemoWorld {
  /** Demo dealers by code, with their ids and regions. */
  dealers: { id: string; code: string; region: string; status: string }[];
}

export const CONTEXT_SEEDS: ((world: DemoWorld) => Promise<void>)[] = [];
