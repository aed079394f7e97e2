import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../functions/adapters/documents/document-store';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'cn-north-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });

describe('S3 document store', () => {
  afterEach(() => {
    s3.reset();
    delete process.env.DOCUMENTS_BUCKET;
  });

  it('puts with the content type into the DOCUMENTS_BUCKET bucket', async () => {
    process.env.DOCUMENTS_BUCKET = 'dms-documents-123';
    s3.on(PutObjectCommand).resolves({});
    const store = S3DocumentStore.fromEnv(client);
    await store.put('invoices/2026/INV-2026-000001.pdf', new Uint8Array([37, 80, 68, 70]), 'application/pdf');
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Bucket: 'dms-documents-123', Key: 'invoices/2026/INV-2026-000001.pdf', ContentType: 'application/pdf' });
  });

  it('gets bytes back and maps NoSuchKey to undefined', async () => {
    const store = new S3DocumentStore(client, 'b');
    s3.on(GetObjectCommand, { Key: 'a.xml' }).resolves({ ContentType: 'application/xml', Body: { transformToByteArray: async () => new Uint8Array([60, 47, 62]) } as never });
    s3.on(GetObjectCommand, { Key: 'missing.xml' }).rejects(new NoSuchKey({ message: 'no such key', $metadata: {} }));
    expect(await store.get('a.xml')).toEqual({ contentType: 'application/xml', bytes: new Uint8Array([60, 47, 62]) });
    expect(await store.get('missing.xml')).toBeUndefined();
  });

  it('presigns a GET URL with the requested expiry and refuses bad keys', async () => {
    const store = new S3DocumentStore(client, 'dms-documents-123');
    const url = new URL(await store.signedUrl('invoices/2026/INV-2026-000001.pdf', 600));
    expect(url.hostname).toContain('dms-documents-123');
    expect(url.pathname).toBe('/invoices/2026/INV-2026-000001.pdf');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    await expect(store.signedUrl('../x.pdf')).rejects.toThrow(RangeError);
    await expect(store.signedUrl('x.pdf', 8 * 24 * 3600)).rejects.toThrow(RangeError);
  });

  it('fails fast without DOCUMENTS_BUCKET', () => {
    expect(() => S3DocumentStore.fromEnv(client)).toThrow(/DOCUMENTS_BUCKET/);
  });
});
