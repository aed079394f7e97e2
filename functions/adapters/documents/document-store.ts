import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentStore, StoredDocument } from '../../../domain/invoicing/ports';

/** Download links live 15 minutes unless the caller asks otherwise; S3 caps presigning at 7 days. */
export const DEFAULT_URL_TTL_SECONDS = 15 * 60;
const MAX_URL_TTL_SECONDS = 7 * 24 * 3600;

/** Keys are relative paths like `invoices/2026/INV-2026-000123.pdf`; nothing may climb out. */
export function assertDocumentKey(key: string): void {
  if (!key || key.length > 1024 || key.startsWith('/') || key.includes('\\') || key.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new RangeError(`invalid document key: ${JSON.stringify(key)}`);
  }
}

function ttl(expiresInSeconds: number | undefined): number {
  const t = expiresInSeconds ?? DEFAULT_URL_TTL_SECONDS;
  if (!Number.isInteger(t) || t <= 0 || t > MAX_URL_TTL_SECONDS) throw new RangeError('expiresIn must be 1..604800 seconds');
  return t;
}

export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  /** Bucket from DOCUMENTS_BUCKET, as the CDK stack sets it on the functions that write documents. */
  static fromEnv(client = new S3Client({})): S3DocumentStore {
    const bucket = process.env.DOCUMENTS_BUCKET;
    if (!bucket) throw new Error('DOCUMENTS_BUCKET is not set');
    return new S3DocumentStore(client, bucket);
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    assertDocumentKey(key);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async get(key: string): Promise<StoredDocument | undefined> {
    assertDocumentKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) return undefined;
      return { bytes: await out.Body.transformToByteArray(), contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async signedUrl(key: string, expiresInSeconds?: number): Promise<string> {
    assertDocumentKey(key);
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: ttl(expiresInSeconds) });
  }
}

export interface LocalDocumentStoreOptions {
  /** The twin's data directory (`.data`); files go to `<dataDir>/s3/<bucket>/<key>`. */
  dataDir: string;
  bucket: string;
  /** Origin of the local server, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** HMAC key shared with the local server that verifies the links. */
  signingKey: string | Uint8Array;
  now?: () => Date;
}

/** The path the local server serves: `/local-s3/<bucket>/<key>`. */
export const LOCAL_S3_PREFIX = '/local-s3/';

function localSignature(signingKey: string | Uint8Array, bucket: string, key: string, expires: number): string {
  return createHmac('sha256', signingKey).update(`GET\n${bucket}\n${key}\n${expires}`).digest('base64url');
}

const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

/**
 * The twin's S3: plain files, with a `.meta.json` sidecar keeping the content type (S3 keeps it
 * as object metadata). Signed URLs mimic presigned S3 URLs: an expiry and an HMAC over
 * method, bucket, key and expiry, checked by `verifyLocalSignedUrl` in the local server.
 */
export class LocalDocumentStore implements DocumentStore {
  private readonly root: string;
  private readonly now: () => Date;

  constructor(private readonly options: LocalDocumentStoreOptions) {
    this.root = resolve(options.dataDir, 's3', options.bucket);
    this.now = options.now ?? (() => new Date());
  }

  /** Absolute file path of a key; the resolve check is a second guard against path traversal. */
  pathOf(key: string): string {
    assertDocumentKey(key);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new RangeError(`invalid document key: ${JSON.stringify(key)}`);
    return path;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Write then rename so a reader never sees half a PDF (S3 puts are atomic too).
    const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tmp, bytes);
    await writeFile(`${path}.meta.json`, JSON.stringify({ contentType }));
    await rename(tmp, path);
  }

  async get(key: string): Promise<StoredDocument | undefined> {
    const path = this.pathOf(key);
    try {
      const bytes = await readFile(path);
      let contentType = 'application/octet-stream';
      try {
        contentType = (JSON.parse(await readFile(`${path}.meta.json`, 'utf8')) as { contentType?: string }).contentType ?? contentType;
      } catch {
        // A file dropped in by hand has no sidecar; serve it as bytes.
      }
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async signedUrl(key: string, expiresInSeconds?: number): Promise<string> {
    assertDocumentKey(key);
    const expires = Math.floor(this.now().getTime() / 1000) + ttl(expiresInSeconds);
    const signature = localSignature(this.options.signingKey, this.options.bucket, key, expires);
    const url = new URL(`${LOCAL_S3_PREFIX}${encodeURIComponent(this.options.bucket)}/${encodeKey(key)}`, this.options.baseUrl);
    url.searchParams.set('expires', String(expires));
    url.searchParams.set('signature', signature);
    return url.toString();
  }
}

export type LocalSignedUrlCheck =
  | { ok: true; bucket: string; key: string; expires: number }
  | { ok: false; reason: 'malformed' | 'expired' | 'bad_signature' };

/**
 * Checks a `/local-s3/<bucket>/<key>?expires=…&signature=…` URL (absolute, or the request's
 * path + query). The server then reads `<dataDir>/s3/<bucket>/<key>` — through
 * `LocalDocumentStore.get` — only when this returns ok.
 */
export function verifyLocalSignedUrl(url: string, signingKey: string | Uint8Array, now: Date = new Date()): LocalSignedUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://local.invalid');
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!parsed.pathname.startsWith(LOCAL_S3_PREFIX)) return { ok: false, reason: 'malformed' };
  const rest = parsed.pathname.slice(LOCAL_S3_PREFIX.length).split('/');
  if (rest.length < 2) return { ok: false, reason: 'malformed' };
  let bucket: string;
  let key: string;
  try {
    bucket = decodeURIComponent(rest[0]!);
    key = rest.slice(1).map(decodeURIComponent).join('/');
    assertDocumentKey(key);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const expiresText = parsed.searchParams.get('expires') ?? '';
  const signature = parsed.searchParams.get('signature') ?? '';
  if (!/^\d{1,12}$/.test(expiresText) || !signature) return { ok: false, reason: 'malformed' };
  const expires = Number(expiresText);
  // Signature before expiry: a tampered expiry must read as tampering, not as "expired".
  const expected = Buffer.from(localSignature(signingKey, bucket, key, expires));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  if (Math.floor(now.getTime() / 1000) > expires) return { ok: false, reason: 'expired' };
  return { ok: true, bucket, key, expires };
}

/** Document keys by type, so every writer files documents the same way. */
export function documentKey(kind: 'invoice-pdf' | 'invoice-xml' | 'invoice-json' | 'shipping-note-pdf', number: string, year: string): string {
  const ext = { 'invoice-pdf': 'pdf', 'invoice-xml': 'xml', 'invoice-json': 'json', 'shipping-note-pdf': 'pdf' }[kind];
  const folder = kind === 'shipping-note-pdf' ? 'shipping-notes' : 'invoices';
  return join(folder, year, `${number}.${ext}`).split(sep).join('/');
}

export const CONTENT_TYPES = { pdf: 'application/pdf', xml: 'application/xml', json: 'application/json' } as const;
