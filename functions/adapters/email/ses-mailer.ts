import { randomUUID } from 'node:crypto';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../../../domain/alerts/ports';
import { composeMime } from './mime';

/**
 * SES v2 SendEmail with Raw content (the MIME from MailComposer, so both parts and the UTF-8
 * headers are exactly what the twin writes). The SDK is imported on first send: a function that
 * sends nothing never loads it. The IAM policy limits sending to the configured identity.
 */
export class SesMailer implements Mailer {
  private client: SESv2Client | undefined;

  constructor(private readonly from: string) {}

  async send(message: Parameters<Mailer['send']>[0]): Promise<{ messageId: string }> {
    const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
    this.client ??= new SESv2Client({});
    const domain = this.from.replace(/^.*@/, '').replace(/>.*$/, '') || 'dms';
    const raw = await composeMime(this.from, message, `<${randomUUID()}@${domain}>`);
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: message.to },
        Content: { Raw: { Data: raw } },
      }),
    );
    return { messageId: result.MessageId ?? '' };
  }
}
