import type { AuditEntry } from '../audit/audit-entry';
import type { ChannelType, Dealer, DealerStatus, DealerTier } from './dealer';

export interface Region {
  code: string;
  name: string;
  nameEn: string;
}

export interface DealerListFilter {
  /** Regions the result is confined to (scope ∩ requested region); undefined = all regions. */
  regions?: string[];
  tier?: DealerTier;
  channelType?: ChannelType;
  status?: DealerStatus;
  namePrefix?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Port: dealer persistence. Every write carries its audit entry into the same transaction. */
export interface DealerRepository {
  get(id: string): Promise<Dealer | undefined>;
  /** Throws ConflictError `dealer_code_taken` or ValidationError `unknown_region`. */
  create(dealer: Dealer, audit: AuditEntry): Promise<void>;
  /** Replaces the dealer if its stored version is still `expectedVersion`; else VersionMismatchError. */
  replace(dealer: Dealer, expectedVersion: number, audit: AuditEntry): Promise<void>;
  list(filter: DealerListFilter, page: { limit: number; cursor?: string }): Promise<Page<Dealer>>;
}

export interface RegionRepository {
  list(): Promise<Region[]>;
}
