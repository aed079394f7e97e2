import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Mailer } from '../../../domain/alerts/ports';
import { composeMime } from './mime';

export const OUTBOX_ENV = { dir: 'DMS_OUTBOX_DIR', dataDir: 'DMS_DATA_DIR' } as const;

/** `<DMS_OUTBOX_DIR>` or `<DMS_DATA_DIR or .data>/outbox`. */
export function outboxDir(env: Record<string, string | undefined> = process.env): string {
  return resolve(env[OUTBOX_ENV.dir] ?? join(env[OUTBOX_ENV.dataDir] ?? '.data', 'outbox'));
}

/**
 * The twin's mail server: each message an RFC 822 `.eml` file (open it in any mail client),
 * named `<ISO time>-<id>.eml` so a listing sorts by sending time.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly from: string,
    private readonly dir: string = outboxDir(),
  ) {}

  async send(message: Parameters<Mailer['send']>[0]): Promise<{ messageId: string }> {
    const id = randomUUID();
    const messageId = `<${id}@dms.local>`;
    const bytes = await composeMime(this.from, message, messageId);
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`), bytes);
    return { messageId };
  }
}
