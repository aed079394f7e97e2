import { openApiDocument } from '../openapi';
import type { Implementation } from '../route';
import type { docsContext } from './routes';

let cached: Record<string, unknown> | undefined;

export const getOpenApi: Implementation<typeof docsContext, 'getOpenApi'> = async ({ baseUrl }) => {
  cached ??= openApiDocument();
  return { body: { ...cached, servers: [{ url: baseUrl }] } };
};
