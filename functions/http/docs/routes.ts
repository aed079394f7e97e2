import * as z from 'zod';
import { defineContext } from '../route';

export const docsContext = defineContext({
  name: 'docs',
  resources: { mainTable: 'none', idempotencyTable: false, eventBus: false },
  routes: [
    {
      operationId: 'getOpenApi',
      method: 'GET',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      permission: 'public',
      response: z.record(z.string(), z.unknown()),
      successStatus: 200,
      mutates: false,
    },
  ],
});
