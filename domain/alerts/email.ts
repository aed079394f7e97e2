/**
 * Alert emails as data, rendered to a subject, a plain-text and an HTML part: Chinese first,
 * English below (DESIGN §1/§7), amounts already formatted by the caller (¥ with two decimals).
 */
export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface EmailSection {
  titleZh: string;
  titleEn: string;
  /** Column headers, "中文 / English". */
  columns: string[];
  rows: string[][];
  /** A last row in bold (e.g. 合计 / Total). */
  total?: string[];
  /** Shown instead of an empty table. */
  emptyZh?: string;
  emptyEn?: string;
}

export interface AlertEmail {
  subjectZh: string;
  subjectEn: string;
  introZh: string;
  introEn: string;
  sections: EmailSection[];
  /** Totals lines under the tables, e.g. ["应收合计 / Total open: ¥1,234.00"]. */
  summary?: string[];
  footerZh?: string;
  footerEn?: string;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function textTable(section: EmailSection): string[] {
  const lines = [`${section.titleZh} / ${section.titleEn}`];
  if (section.rows.length === 0) {
    lines.push(`  ${section.emptyZh ?? '无'} / ${section.emptyEn ?? 'None'}`);
    return lines;
  }
  lines.push(`  ${section.columns.join(' | ')}`);
  for (const row of section.rows) lines.push(`  ${row.join(' | ')}`);
  if (section.total) lines.push(`  ${section.total.join(' | ')}`);
  return lines;
}

function htmlTable(section: EmailSection): string {
  const title = `<h3>${escapeHtml(section.titleZh)}<br><small>${escapeHtml(section.titleEn)}</small></h3>`;
  if (section.rows.length === 0) return `${title}<p>${escapeHtml(section.emptyZh ?? '无')} / ${escapeHtml(section.emptyEn ?? 'None')}</p>`;
  const cell = (tag: 'td' | 'th', value: string) => `<${tag} style="border:1px solid #ccc;padding:4px 8px">${escapeHtml(value)}</${tag}>`;
  const head = `<tr>${section.columns.map((c) => cell('th', c)).join('')}</tr>`;
  const body = section.rows.map((row) => `<tr>${row.map((v) => cell('td', v)).join('')}</tr>`).join('');
  const total = section.total ? `<tr style="font-weight:bold">${section.total.map((v) => cell('td', v)).join('')}</tr>` : '';
  return `${title}<table style="border-collapse:collapse">${head}${body}${total}</table>`;
}

export function renderEmail(to: string[], email: AlertEmail): EmailMessage {
  const subject = `${email.subjectZh} / ${email.subjectEn}`;
  const text = [
    email.introZh,
    email.introEn,
    '',
    ...email.sections.flatMap((s) => [...textTable(s), '']),
    ...(email.summary ?? []),
    '',
    email.footerZh ?? '此邮件由 DMS 自动发送，请勿直接回复。',
    email.footerEn ?? 'Sent automatically by DMS; please do not reply to this message.',
  ].join('\n');
  const html = [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body style="font-family:sans-serif">',
    `<p>${escapeHtml(email.introZh)}<br><span style="color:#555">${escapeHtml(email.introEn)}</span></p>`,
    ...email.sections.map(htmlTable),
    ...(email.summary?.length ? [`<p><strong>${email.summary.map(escapeHtml).join('<br>')}</strong></p>`] : []),
    `<p style="color:#888">${escapeHtml(email.footerZh ?? '此邮件由 DMS 自动发送，请勿直接回复。')}<br>${escapeHtml(email.footerEn ?? 'Sent automatically by DMS; please do not reply to this message.')}</p>`,
    '</body></html>',
  ].join('\n');
  return { to, subject, text, html };
}

/** Comma/semicolon-separated addresses from configuration, trimmed, de-duplicated. */
export function emailList(raw: string | undefined, fallback: readonly string[] = []): string[] {
  const list = (raw ?? '').split(/[,;]/).map((a) => a.trim()).filter((a) => /^[^\s@]+@[^\s@]+$/.test(a));
  return [...new Set(list.length ? list : fallback)];
}
