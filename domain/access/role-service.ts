import { auditEntry, type AuditEntry, type RequestContext } from '../audit/audit-entry';
import { ConflictError, ForbiddenError, NotFoundError, VersionMismatchError } from '../shared/errors';
import type { Permission } from './permissions';
import { BUILT_IN_ROLES, type DataScope, type RoleDefinition } from './roles';

export interface CustomRole extends RoleDefinition {
  builtIn: false;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Port: custom role persistence; each write carries its audit entry into the same transaction. */
export interface RoleRepository {
  get(name: string): Promise<CustomRole | undefined>;
  list(): Promise<CustomRole[]>;
  /** Throws ConflictError `role_exists` when the name is taken. */
  create(role: CustomRole, audit: AuditEntry): Promise<void>;
  replace(role: CustomRole, expectedVersion: number, audit: AuditEntry): Promise<void>;
  delete(name: string, expectedVersion: number, audit: AuditEntry): Promise<void>;
}

export interface RoleInput {
  name: string;
  description: string;
  permissions: Permission[];
  scope: DataScope;
}

const ENTITY = 'role';
/** How long a warm function trusts its copy of a custom role; edits apply within this time. */
export const CUSTOM_ROLE_CACHE_MS = 30_000;

export class RoleService {
  private readonly cache = new Map<string, { role: CustomRole | undefined; until: number }>();

  constructor(
    private readonly roles: RoleRepository,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The definitions behind a token's role names. Built-in roles cost nothing; custom roles
   * are read from the table and cached briefly, so a request by a built-in role makes no call.
   */
  async resolve(names: string[]): Promise<RoleDefinition[]> {
    const resolved: RoleDefinition[] = [];
    for (const name of names) {
      const builtIn = BUILT_IN_ROLES.get(name);
      if (builtIn) {
        resolved.push(builtIn);
        continue;
      }
      const cached = this.cache.get(name);
      let role = cached && cached.until > this.clock() ? cached.role : undefined;
      if (!cached || cached.until <= this.clock()) {
        role = await this.roles.get(name);
        this.cache.set(name, { role, until: this.clock() + CUSTOM_ROLE_CACHE_MS });
      }
      if (role) resolved.push(role);
    }
    return resolved;
  }

  async list(): Promise<RoleDefinition[]> {
    return [...BUILT_IN_ROLES.values(), ...(await this.roles.list())];
  }

  async get(name: string): Promise<RoleDefinition> {
    const role = BUILT_IN_ROLES.get(name) ?? (await this.roles.get(name));
    if (!role) throw new NotFoundError('Role', name);
    return role;
  }

  async create(ctx: RequestContext, input: RoleInput): Promise<CustomRole> {
    if (BUILT_IN_ROLES.has(input.name)) throw new ConflictError('role_exists', `${input.name} is a built-in role.`);
    const at = ctx.now.toISOString();
    const role: CustomRole = { ...input, permissions: [...new Set(input.permissions)], builtIn: false, createdAt: at, updatedAt: at, version: 1 };
    await this.roles.create(role, auditEntry(ctx, 'role.created', { type: ENTITY, id: role.name }, undefined, role));
    this.cache.delete(role.name);
    return role;
  }

  async update(ctx: RequestContext, name: string, expectedVersion: number, changes: Partial<Omit<RoleInput, 'name'>>): Promise<CustomRole> {
    const current = await this.customForWrite(name, expectedVersion);
    const next: CustomRole = {
      ...current,
      ...changes,
      permissions: changes.permissions ? [...new Set(changes.permissions)] : current.permissions,
      updatedAt: ctx.now.toISOString(),
      version: current.version + 1,
    };
    await this.roles.replace(next, expectedVersion, auditEntry(ctx, 'role.updated', { type: ENTITY, id: name }, current, next));
    this.cache.delete(name);
    return next;
  }

  async delete(ctx: RequestContext, name: string, expectedVersion: number): Promise<void> {
    const current = await this.customForWrite(name, expectedVersion);
    await this.roles.delete(name, expectedVersion, auditEntry(ctx, 'role.deleted', { type: ENTITY, id: name }, current, undefined));
    this.cache.delete(name);
  }

  private async customForWrite(name: string, expectedVersion: number): Promise<CustomRole> {
    if (BUILT_IN_ROLES.has(name)) throw new ForbiddenError(`${name} is a built-in role and cannot be changed.`, 'built_in_role');
    const current = await this.roles.get(name);
    if (!current) throw new NotFoundError('Role', name);
    if (current.version !== expectedVersion) throw new VersionMismatchError('Role', name);
    return current;
  }
}
