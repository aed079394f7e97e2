import MailComposer from 'nodemailer/lib/mail-composer';
import type { EmailMessage } from '../../../domain/alerts/email';

/**
 * The RFC 822 message (multipart/alternative: text + HTML, UTF-8) built by nodemailer's
 * MailComposer: the same bytes go to SES as Raw content and into the twin's outbox.
 */
export async function composeMime(from: string, message: EmailMessage, messageId: string): Promise<Buffer> {
  const mail = new MailComposer({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId,
    date: new Date(),
    textEncoding: 'base64',
  });
  return mail.compile().build();
}
