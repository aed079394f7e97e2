import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../functions/shared/http-handler';
import { flattenClaims } from '../../functions/shared/identity';
import { problemResponse, type Problem } from '../../functions/shared/problem';
import { HTTP_CONTEXTS } from '../../functions/http/routes';
import type { RouteSpec } from '../../functions/http/route';
import type { LocalSigner } from './jwt';
import { LOCAL_S3_PREFIX, LocalDocumentStore, verifyLocalSignedUrl } from '../../functions/adapters/documents/document-store';
import { localDocumentStoreOptions } from '../../functions/adapters/documents/document-store-factory';
import { serveScheduleCommand, TWIN_SCHEDULE_PATH } from './scheduler';

type LambdaHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

interface CompiledRoute {
  route: RouteSpec;
  context: string;
  pattern: RegExp;
  paramNames: string[];
}

/** API Gateway caps payloads at 10 MB; the twin refuses far earlier, before buffering. */
const MAX_REQUEST_BYTES = 1024 * 1024;

function compile(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
      if (param) {
        paramNames.push(param[1]!);
        return '([^/]+)';
      }
      return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), paramNames };
}

/** Sort order that puts `/stock/alerts` before `/stock/{locationCode}`: literals beat parameters, position by position. */
export function bySpecificity(a: string, b: string): number {
  const shape = (path: string) => path.split('/').map((segment) => (segment.startsWith('{') ? '0' : '1')).join('');
  return shape(b).localeCompare(shape(a));
}

/** Each context's Lambda handler, loaded from functions/http/<name>/index.ts like the CDK entry. */
async function loadHandlers(): Promise<Map<string, LambdaHandler>> {
  const handlers = new Map<string, LambdaHandler>();
  for (const context of HTTP_CONTEXTS) {
    const module = (await import(`../../functions/http/${context.name}/index.ts`)) as { handler: LambdaHandler };
    handlers.set(context.name, module.handler);
  }
  return handlers;
}

function send(res: ServerResponse, result: HttpResult): void {
  const headers = { ...result.headers } as Record<string, string | number | boolean>;
  res.writeHead(result.statusCode ?? 200, headers as Record<string, string>);
  res.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
}

function sendProblem(res: ServerResponse, problem: Omit<Problem, 'type' | 'title'> & { title: string }, headers: Record<string, string> = {}): void {
  send(res, problemResponse({ type: `/problems/${problem.code}`, ...problem }, headers));
}

/**
 * The twin's S3 download links (LocalDocumentStore.signedUrl): like a presigned S3 URL, no bearer
 * token, the signature is the authorization — so a bad or expired one is 403, as S3 answers.
 */
async function serveLocalDocument(rawUrl: string, res: ServerResponse): Promise<void> {
  const options = localDocumentStoreOptions();
  const check = verifyLocalSignedUrl(rawUrl, options.signingKey);
  if (!check.ok) {
    const detail = check.reason === 'expired' ? 'The download link has expired; request a new one.' : 'The download link is not valid.';
    return sendProblem(res, { status: 403, code: check.reason === 'expired' ? 'link_expired' : 'invalid_signature', title: 'Not allowed', detail });
  }
  const document = check.bucket === options.bucket ? await new LocalDocumentStore(options).get(check.key) : undefined;
  if (!document) return sendProblem(res, { status: 404, code: 'not_found', title: 'Not found', detail: 'No such document.' });
  const filename = check.key.slice(check.key.lastIndexOf('/') + 1);
  const asciiName = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  res.writeHead(200, {
    'content-type': document.contentType,
    'content-length': String(document.bytes.byteLength),
    // PDFs open in the browser; the XML and JSON e-invoices download as files.
    'content-disposition': `${document.contentType.startsWith('application/pdf') ? 'inline' : 'attachment'}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    'cache-control': 'private, max-age=0',
    'x-content-type-options': 'nosniff',
  });
  res.end(document.bytes);
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function lambdaContext(contextName: string, requestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `dms-local-${contextName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:dms-local-${contextName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/dms-local-${contextName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface LocalServerOptions {
  signer: LocalSigner;
  port?: number;
  host?: string;
  /** Called once per request after the response is sent (for the twin's access log). */
  onRequest?: (line: { method: string; path: string; status: number; ms: number }) => void;
}

export interface LocalServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The twin's API Gateway: matches the route table, verifies the bearer token like the JWT
 * authorizer (401 otherwise), builds the same HTTP API v2 event and calls the context's handler.
 * Also serves the interactive API docs at /docs from the swagger-ui-dist package.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const handlers = await loadHandlers();
  // Like API Gateway, a literal path segment wins over a {parameter} at the same position.
  const compiled: CompiledRoute[] = HTTP_CONTEXTS.flatMap((context) =>
    context.routes.map((route) => ({ route, context: context.name, ...compile(route.path) })),
  ).sort((a, b) => bySpecificity(a.route.path, b.route.path));
  const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

  const server = createServer(async (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    res.on('finish', () => options.onRequest?.({ method, path: url.pathname, status: res.statusCode, ms: performance.now() - started }));
    try {
      if (method === 'GET' && url.pathname.startsWith(LOCAL_S3_PREFIX)) return await serveLocalDocument(req.url ?? '/', res);
      // Twin-only: `npm run schedule` fires a schedule in this process (not an API route, not on AWS).
      if (url.pathname.startsWith(TWIN_SCHEDULE_PATH)) return await serveScheduleCommand(req, res, url, options.signer);
      if (method === 'GET' && (url.pathname === '/docs' || url.pathname === '/docs/')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(DOCS_PAGE);
        return;
      }
      if (method === 'GET' && url.pathname.startsWith('/docs/assets/')) {
        const file = url.pathname.slice('/docs/assets/'.length);
        if (!/^[a-z0-9-]+\.(js|css|png)$/.test(file)) return sendProblem(res, { status: 404, code: 'not_found', title: 'Not found', detail: 'No such asset.' });
        const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'image/png';
        res.writeHead(200, { 'content-type': type, 'cache-control': 'max-age=3600' });
        res.end(await readFile(join(swaggerDir, file)));
        return;
      }

      const candidates = compiled.filter((c) => c.pattern.test(url.pathname));
      if (candidates.length === 0) {
        return sendProblem(res, { status: 404, code: 'route_not_found', title: 'Not found', detail: `No route for ${url.pathname}.` });
      }
      const match = candidates.find((c) => c.route.method === method);
      if (!match) {
        return sendProblem(
          res,
          { status: 405, code: 'method_not_allowed', title: 'Method not allowed', detail: `${method} is not supported on ${url.pathname}.` },
          { allow: candidates.map((c) => c.route.method).join(', ') },
        );
      }

      const requestId = randomUUID();
      let claims: Record<string, string> | undefined;
      if (match.route.permission !== 'public') {
        const authorization = req.headers.authorization ?? '';
        const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
        if (!token) {
          return sendProblem(res, { status: 401, code: 'unauthenticated', title: 'Authentication required', detail: 'Send an Authorization: Bearer <token> header.', requestId });
        }
        try {
          claims = flattenClaims(await options.signer.verify(token));
        } catch (error) {
          const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
          return sendProblem(res, {
            status: 401,
            code: expired ? 'token_expired' : 'invalid_token',
            title: 'Authentication required',
            detail: expired ? 'The token has expired; get a new one.' : 'The token is not valid.',
            requestId,
          });
        }
      }

      const body = await readBody(req);
      if (body === 'too_large') {
        // The rest of the body is not read, so this connection cannot carry another request.
        return sendProblem(res, { status: 413, code: 'payload_too_large', title: 'Request body too large', detail: 'The body exceeds 1 MiB.', requestId }, { connection: 'close' });
      }

      const rawMatch = match.pattern.exec(url.pathname)!;
      const pathParameters: Record<string, string> = {};
      let badEncoding = false;
      match.paramNames.forEach((name, i) => {
        try {
          pathParameters[name] = decodeURIComponent(rawMatch[i + 1]!);
        } catch {
          badEncoding = true;
        }
      });
      if (badEncoding) return sendProblem(res, { status: 400, code: 'validation_failed', title: 'The request is not valid', detail: 'Malformed percent-encoding in the path.', requestId });

      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
      }
      // API Gateway v2 joins repeated query parameters with commas. A Map keeps names such as
      // `__proto__` or `toString` ordinary keys, as they are in API Gateway's JSON event.
      const joined = new Map<string, string>();
      for (const [name, value] of url.searchParams) joined.set(name, joined.has(name) ? `${joined.get(name)},${value}` : value);
      const queryStringParameters: Record<string, string> = Object.create(null);
      for (const [name, value] of joined) Object.defineProperty(queryStringParameters, name, { value, enumerable: true, writable: true, configurable: true });
      const now = new Date();
      const event: HttpEvent = {
        version: '2.0',
        routeKey: `${match.route.method} ${match.route.path}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        ...(joined.size ? { queryStringParameters } : {}),
        ...(match.paramNames.length ? { pathParameters } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'localhost',
          http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
          requestId,
          routeKey: `${match.route.method} ${match.route.path}`,
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
        },
        ...(body.length ? { body: body.toString('utf8') } : {}),
        isBase64Encoded: false,
      };
      if (!headers['x-forwarded-proto']) event.headers['x-forwarded-proto'] = 'http';
      const result = await handlers.get(match.context)!(event, lambdaContext(match.context, requestId));
      send(res, result);
    } catch (error) {
      console.error(error);
      if (!res.headersSent) sendProblem(res, { status: 500, code: 'internal_error', title: 'Internal error', detail: 'The local server failed.' });
      else res.end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host === '0.0.0.0' ? 'localhost' : (options.host ?? '127.0.0.1')}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>DMS API 文档</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true, deepLinking: true });
  </script>
</body>
</html>`;
