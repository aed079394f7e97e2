/**
 * Where generated documents (invoice/shipping-note PDFs, e-invoice XML/JSON) live: an S3 bucket on
 * AWS, files under `.data/s3/<bucket>/` on the twin. Downloads go through a signed URL so the API
 * never streams document bytes itself.
 */
export interface StoredDocument {
  bytes: Uint8Array;
  contentType: string;
}

export interface DocumentStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** undefined when the key does not exist. */
  get(key: string): Promise<StoredDocument | undefined>;
  /** A time-limited download URL; expiresInSeconds defaults to 15 minutes. */
  signedUrl(key: string, expiresInSeconds?: number): Promise<string>;
}
