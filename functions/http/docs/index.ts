import { httpHandler } from '../../shared/http-handler';
import { getOpenApi } from './get-openapi';
import { docsContext } from './routes';

export const handler = httpHandler(docsContext, { getOpenApi });
