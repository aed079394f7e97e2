import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import '../../infra/local/polyfills';
import type { NewDealer } from '../../domain/dealers/dealer';
import { demoUscc } from '../../infra/local/demo-data';
import { ephemeralSigner, type TokenRequest } from '../../infra/local/jwt';
import { seedRegions } from '../../infra/local/seed';
import { startTwin, type Twin } from '../../infra/local/twin';
import { ORDER_APPROVAL_WORKFLOW, readDefinitionText, workflowByName } from '../../functions/workflows/registry';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Task states of the approval workflow whose Retry pauses the test twin shortens. */
const ORDER_APPROVAL_TASK_STATES = taskStatesOf(JSON.parse(readDefinitionText(workflowByName(ORDER_APPROVAL_WORKFLOW))));

/** Names of the Task states of an ASL definition, Parallel branches included. */
function taskStatesOf(definition: { States: Record<string, { Type: string; Branches?: { States: Record<string, unknown> }[] }> }): string[] {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? [name] : []),
    ...(state.Branches ?? []).flatMap((branch) => taskStatesOf(branch as never)),
  ]);
}

export interface TestTwin extends Twin {
  tableName: string;
  token(role: string, extra?: Partial<TokenRequest>): Promise<string>;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
}

/**
 * The real twin (the handlers, DynamoDB Local, the in-process bus) on its own tables, so each
 * test file starts empty except for the sales regions.
 */
export async function startTestTwin(): Promise<TestTwin> {
  const suffix = randomUUID().slice(0, 8);
  const tables = { main: `dms-test-${suffix}`, idempotency: `dms-test-idem-${suffix}` };
  const signer = await ephemeralSigner();
  const documentsDir = await mkdtemp(join(tmpdir(), 'dms-docs-'));
  const twin = await startTwin({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tables,
    signer,
    documentsDir,
    // Retry pauses of the approval workflow in ms instead of seconds: tests wait for outcomes, not clocks.
    workflowDefaults: { [ORDER_APPROVAL_WORKFLOW]: { retryIntervalOverrides: Object.fromEntries(ORDER_APPROVAL_TASK_STATES.map((state) => [state, 5])) } },
  });
  await seedRegions();
  return {
    ...twin,
    tableName: tables.main,
    token: (role, extra = {}) => signer.sign({ userId: `user-${role}`, roles: [role], ...extra }),
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${twin.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, body: parsed as any, text };
    },
  };
}

let counter = 0;

/** A valid registration with a unique code; override any field. */
export function newDealerInput(overrides: Partial<NewDealer> = {}): NewDealer {
  counter += 1;
  const random = () => Math.random();
  return {
    code: `T${Date.now().toString(36).toUpperCase().slice(-6)}${counter}`,
    name: `测试经销商${counter}号商贸有限公司`,
    uscc: demoUscc('310115', random),
    tier: 'gold',
    channelType: 'distributor',
    region: 'CN-EAST',
    contacts: [{ name: '张伟', title: '总经理', mobile: '13800138000', email: 'zhang@example.cn', primary: true }],
    addresses: [{ type: 'billing', province: '上海市', city: '上海', street: '浦东新区世纪大道100号', postalCode: '200120', isDefault: true }],
    ...overrides,
  };
}

export function idempotencyKey(): string {
  return randomUUID();
}
