import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const listRegions: Implementation<typeof dealersContext, 'listRegions'> = async () => ({
  body: { items: await runtime().regions.list() },
});
