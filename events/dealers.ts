import * as z from 'zod';

export const DealerCreatedV1 = z.strictObject({
  dealerId: z.string(),
  code: z.string(),
  name: z.string(),
  tier: z.string(),
  channelType: z.string(),
  region: z.string(),
  status: z.string(),
});

export const DealerStatusChangedV1 = z.strictObject({
  dealerId: z.string(),
  code: z.string(),
  region: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string(),
});
