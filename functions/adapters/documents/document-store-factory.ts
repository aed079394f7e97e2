import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { DocumentStore, StoredDocument } from '../../../domain/invoicing/ports';
import type { LocalDocumentStoreOptions } from './document-store';

/**
 * Picks where generated documents go: the S3 bucket named by DOCUMENTS_BUCKET (set by the CDK
 * stack), else the twin's local store under `<data dir>/s3/documents/`. The store module — and
 * with it the S3 client and presigner — is imported on first use only, so importing this file
 * costs nothing on a function that never touches a document.
 */

export const DOCUMENT_STORE_ENV = {
  /** AWS: the documents bucket. Set → S3. */
  bucket: 'DOCUMENTS_BUCKET',
  /** Twin: data directory for documents (files under `<dir>/s3/documents/`); defaults to DMS_DATA_DIR, else `.data`. */
  dir: 'DMS_DOCUMENTS_DIR',
  /** Twin: origin the download links point at (the local server), e.g. `http://127.0.0.1:3000`. */
  baseUrl: 'DMS_DOCUMENTS_BASE_URL',
  /** Twin: HMAC key of the download links; without it a random key per process. */
  signingKey: 'DMS_DOCUMENTS_SIGNING_KEY',
} as const;

/** The twin's bucket name: links read `/local-s3/documents/<key>`, files `.data/s3/documents/<key>`. */
export const LOCAL_DOCUMENTS_BUCKET = 'documents';

// The twin's server and handlers share one process, so a random key is enough unless links must
// survive a restart (then set DMS_DOCUMENTS_SIGNING_KEY). Never a fixed default: anyone could forge.
let processKey: Uint8Array | undefined;

/** The local store's settings as the environment gives them now (also used by the server that checks the links). */
export function localDocumentStoreOptions(): LocalDocumentStoreOptions {
  const env = process.env;
  processKey ??= randomBytes(32);
  return {
    dataDir: resolve(env[DOCUMENT_STORE_ENV.dir] ?? env.DMS_DATA_DIR ?? '.data'),
    bucket: LOCAL_DOCUMENTS_BUCKET,
    baseUrl: env[DOCUMENT_STORE_ENV.baseUrl] ?? `http://localhost:${env.PORT ?? 3000}`,
    signingKey: env[DOCUMENT_STORE_ENV.signingKey] || processKey,
  };
}

/** A store built on first use; the build is retried after a failure (e.g. a transient import error). */
class LazyDocumentStore implements DocumentStore {
  private store: Promise<DocumentStore> | undefined;

  constructor(private readonly build: () => Promise<DocumentStore>) {}

  private load(): Promise<DocumentStore> {
    const store = (this.store ??= this.build());
    store.catch(() => {
      if (this.store === store) this.store = undefined;
    });
    return store;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    return (await this.load()).put(key, bytes, contentType);
  }

  async get(key: string): Promise<StoredDocument | undefined> {
    return (await this.load()).get(key);
  }

  async signedUrl(key: string, expiresInSeconds?: number): Promise<string> {
    return (await this.load()).signedUrl(key, expiresInSeconds);
  }
}

let s3: { bucket: string; store: DocumentStore } | undefined;

/** The documents store for this environment. S3 stores (and their client) are reused per bucket. */
export function documentStore(): DocumentStore {
  const bucket = process.env[DOCUMENT_STORE_ENV.bucket];
  if (bucket) {
    if (s3?.bucket !== bucket) {
      s3 = {
        bucket,
        store: new LazyDocumentStore(async () => {
          const [{ S3Client }, { S3DocumentStore }] = await Promise.all([import('@aws-sdk/client-s3'), import('./document-store')]);
          return new S3DocumentStore(new S3Client({}), bucket);
        }),
      };
    }
    return s3.store;
  }
  const options = localDocumentStoreOptions();
  return new LazyDocumentStore(async () => new (await import('./document-store')).LocalDocumentStore(options));
}
