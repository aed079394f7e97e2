import * as z from 'zod';
import { isValidUscc } from './uscc';
import { trimmedText } from '../shared/schemas';

export const DEALER_TIERS = ['platinum', 'gold', 'silver', 'bronze'] as const;
export const CHANNEL_TYPES = ['distributor', 'retailer', 'e_commerce', 'project', 'service_center'] as const;
export const DEALER_STATUSES = ['prospect', 'active', 'suspended', 'terminated'] as const;
export const ADDRESS_TYPES = ['billing', 'shipping'] as const;

export type DealerTier = (typeof DEALER_TIERS)[number];
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export type DealerStatus = (typeof DEALER_STATUSES)[number];


export const ContactSchema = z.strictObject({
  name: trimmedText(50),
  title: trimmedText(50).optional(),
  mobile: z.string().regex(/^\+?[0-9][0-9 -]{5,19}$/, 'a phone number such as 13800138000 or +86 21 5555 0000').optional(),
  email: z.email().max(254).optional(),
  primary: z.boolean().default(false),
});
export type Contact = z.output<typeof ContactSchema>;

export const AddressSchema = z.strictObject({
  type: z.enum(ADDRESS_TYPES),
  province: trimmedText(30),
  city: trimmedText(30),
  district: trimmedText(30).optional(),
  street: trimmedText(200),
  postalCode: z.string().regex(/^[0-9]{6}$/, 'a six-digit postal code').optional(),
  recipient: trimmedText(50).optional(),
  phone: z.string().regex(/^\+?[0-9][0-9 -]{5,19}$/).optional(),
  isDefault: z.boolean().default(false),
});
export type Address = z.output<typeof AddressSchema>;

const contactsField = z
  .array(ContactSchema)
  .max(20)
  .refine((contacts) => contacts.filter((c) => c.primary).length <= 1, 'at most one contact can be primary');

const addressesField = z
  .array(AddressSchema)
  .max(20)
  .refine(
    (addresses) => ADDRESS_TYPES.every((t) => addresses.filter((a) => a.type === t && a.isDefault).length <= 1),
    'at most one default address per type',
  );

export const DealerCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{2,19}$/, '3–20 characters: letters, digits and dashes');

export const UsccSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isValidUscc, 'not a valid unified social credit code (18 characters with a correct check character)');

export const RegionCodeSchema = z.string().regex(/^[A-Z][A-Z0-9-]{1,19}$/, 'a region code such as CN-EAST');

/** Fields a registration supplies. Internal fields are only accepted from staff who may see them. */
export const NewDealerSchema = z.strictObject({
  code: DealerCodeSchema,
  name: trimmedText(100),
  shortName: trimmedText(30).optional(),
  uscc: UsccSchema,
  tier: z.enum(DEALER_TIERS),
  channelType: z.enum(CHANNEL_TYPES),
  region: RegionCodeSchema,
  contacts: contactsField.default([]),
  addresses: addressesField.default([]),
  internalNotes: z.string().max(2000).optional(),
  riskRating: z.enum(['low', 'medium', 'high']).optional(),
});
export type NewDealer = z.output<typeof NewDealerSchema>;

/** A partial update of master data; the code and status have their own rules and routes. */
export const DealerChangesSchema = z
  .strictObject({
    name: trimmedText(100),
    shortName: trimmedText(30).nullable(),
    uscc: UsccSchema,
    tier: z.enum(DEALER_TIERS),
    channelType: z.enum(CHANNEL_TYPES),
    region: RegionCodeSchema,
    addresses: addressesField,
    internalNotes: z.string().max(2000).nullable(),
    riskRating: z.enum(['low', 'medium', 'high']).nullable(),
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field to change');
export type DealerChanges = z.output<typeof DealerChangesSchema>;

export const ContactsSchema = z.strictObject({ contacts: contactsField });

export const StatusChangeSchema = z.strictObject({
  status: z.enum(DEALER_STATUSES),
  reason: trimmedText(500),
});
export type StatusChange = z.output<typeof StatusChangeSchema>;

export interface Dealer {
  id: string;
  code: string;
  name: string;
  shortName?: string;
  uscc: string;
  tier: DealerTier;
  channelType: ChannelType;
  region: string;
  status: DealerStatus;
  statusReason?: string;
  statusChangedAt: string;
  contacts: Contact[];
  addresses: Address[];
  internalNotes?: string;
  riskRating?: 'low' | 'medium' | 'high';
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

/** Fields only staff with `dealers:read_internal` may see or write (property-level rule). */
export const INTERNAL_DEALER_FIELDS = ['internalNotes', 'riskRating'] as const;

/**
 * prospect → active → suspended ⇄ active → terminated. Terminated is final: a terminated
 * dealer's history stays, but it can never order again (re-onboarding registers a new dealer).
 */
const TRANSITIONS: Record<DealerStatus, readonly DealerStatus[]> = {
  prospect: ['active', 'terminated'],
  active: ['suspended', 'terminated'],
  suspended: ['active', 'terminated'],
  terminated: [],
};

export function allowedTransitions(from: DealerStatus): readonly DealerStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: DealerStatus, to: DealerStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Key used for case-insensitive name prefix search (Chinese is unaffected by lower-casing). */
export function nameSearchKey(name: string): string {
  return name.trim().toLowerCase().normalize('NFKC');
}
