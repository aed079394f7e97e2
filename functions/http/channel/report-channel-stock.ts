import { channelStock } from '../../adapters/channel-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { channelContext } from './routes';

export const reportChannelStock: Implementation<typeof channelContext, 'reportChannelStock'> = async (input) => {
  const { created, value: report } = await channelStock().report(requestContext(input), input.body);
  return {
    body: report,
    headers: { location: `${input.baseUrl}/channel-stock/reports/${report.id}`, ...(created ? {} : { 'x-replayed': 'true' }) },
  };
};
