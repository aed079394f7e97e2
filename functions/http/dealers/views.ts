import * as z from 'zod';
import { AddressSchema, CHANNEL_TYPES, ContactSchema, DEALER_STATUSES, DEALER_TIERS } from '../../../domain/dealers/dealer';

/** What the API returns for a dealer. Internal fields are present only for staff allowed to see them. */
export const DealerView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  shortName: z.string().optional(),
  uscc: z.string(),
  tier: z.enum(DEALER_TIERS),
  channelType: z.enum(CHANNEL_TYPES),
  region: z.string(),
  status: z.enum(DEALER_STATUSES),
  statusReason: z.string().optional(),
  statusChangedAt: z.string(),
  contacts: z.array(ContactSchema),
  addresses: z.array(AddressSchema),
  internalNotes: z.string().optional().describe('internal: staff with dealers:read_internal only'),
  riskRating: z.enum(['low', 'medium', 'high']).optional().describe('internal: staff with dealers:read_internal only'),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const RegionView = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
});
