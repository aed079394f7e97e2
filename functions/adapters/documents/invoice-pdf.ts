import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import subsetFont from 'subset-font';
import {
  amountInChineseUppercase,
  formatVatRate,
  formatYuan,
  type DocumentParty,
  type Invoice,
} from '../../../domain/invoicing/invoice';

/**
 * The CJK font is Noto Sans SC Regular (SIL OFL 1.1) from `@expo-google-fonts/noto-sans-sc`, a
 * 10 MB static TTF. It is read from disk at run time, never inlined into the Lambda bundle: CDK
 * copies the file next to the bundle and sets DOCUMENT_FONT_PATH; locally it resolves from
 * node_modules.
 *
 * Subsetting is done by HarfBuzz (`subset-font`, wasm) before embedding, not by pdf-lib's
 * `subset: true`: fontkit's subsetter drops glyphs of this font (digits and most Hanzi rendered
 * blank although text extraction still worked — seen on a rendered page). The HarfBuzz subset
 * holds only the characters of the document, so a PDF stays around 30 KB.
 */
const FONT_PACKAGE_FILE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

let fontBytes: Promise<Buffer> | undefined;

export function resolveCjkFontPath(): string {
  const fromEnv = process.env.DOCUMENT_FONT_PATH;
  if (fromEnv) return fromEnv;
  return createRequire(import.meta.url).resolve(FONT_PACKAGE_FILE);
}

/** Cached per process: warm Lambdas and the twin read the 10 MB file once. */
export function loadCjkFont(): Promise<Buffer> {
  // A Buffer, not a plain Uint8Array: subset-font sniffs the format with Buffer methods.
  fontBytes ??= readFile(resolveCjkFontPath());
  fontBytes.catch(() => {
    fontBytes = undefined;
  });
  return fontBytes;
}

/** Printable ASCII, CJK punctuation and 大写 digits are always in the subset. */
const BASE_CHARSET =
  Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('') + '¥，。：；（）【】—…、零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整' +
  // labels drawn by PdfWriter.parties for every document type
  '名称统一社会信用代码地址电话开户行及账号';

export function documentCharset(...texts: string[]): string {
  return [...new Set([...BASE_CHARSET, ...texts.join('')])].join('');
}

export const A4 = { width: 595.28, height: 841.89 } as const;
export const MARGIN = 42;
const INK = rgb(0.1, 0.1, 0.1);
const RULE = rgb(0.55, 0.55, 0.55);
const ACCENT = rgb(0.6, 0.1, 0.1);

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** A cursor over A4 pages that adds a page when the next row would run off the bottom. */
export class PdfWriter {
  page: PDFPage;
  y: number;

  private constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
  ) {
    this.page = doc.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }

  private readonly charset: Set<string> = new Set();

  /** `text` must contain every character the document will draw (see `documentCharset`). */
  static async create(title: string, subject: string, text: string): Promise<PdfWriter> {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const charset = documentCharset(text, title);
    const subset = await subsetFont(await loadCjkFont(), charset, { targetFormat: 'truetype' });
    // locl off: fontkit applies a localized digit variant after Latin letters (SKU-001) whose
    // advance pdf-lib records wrongly, printing "SKU-0 0 1". Noto Sans SC's default glyphs are
    // already the Simplified Chinese forms, so nothing is lost.
    const font = await doc.embedFont(subset, { subset: false, features: { locl: false } });
    doc.setTitle(title);
    doc.setSubject(subject);
    doc.setProducer('DMS');
    doc.setCreator('DMS document service');
    // Fixed dates keep the bytes of a re-generated document identical (idempotent retries).
    doc.setCreationDate(new Date(0));
    doc.setModificationDate(new Date(0));
    const writer = new PdfWriter(doc, font);
    for (const ch of charset) writer.charset.add(ch);
    return writer;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN) {
      this.page = this.doc.addPage([A4.width, A4.height]);
      this.y = A4.height - MARGIN;
    }
  }

  text(s: string, x: number, size = 10, options: { color?: ReturnType<typeof rgb>; align?: 'left' | 'right' | 'center'; width?: number } = {}): void {
    // A character outside the subset would print as an empty box: fail loudly instead.
    for (const ch of s) if (!this.charset.has(ch)) throw new Error(`character ${JSON.stringify(ch)} is not in the document font subset`);
    const w = this.font.widthOfTextAtSize(s, size);
    let drawX = x;
    if (options.align === 'right' && options.width) drawX = x + options.width - w;
    if (options.align === 'center' && options.width) drawX = x + (options.width - w) / 2;
    this.page.drawText(s, { x: drawX, y: this.y, size, font: this.font, color: options.color ?? INK });
  }

  /** Cuts text to a width so a long product name never overlaps the next column. */
  fit(s: string, width: number, size: number): string {
    if (this.font.widthOfTextAtSize(s, size) <= width) return s;
    let out = s;
    while (out.length > 1 && this.font.widthOfTextAtSize(`${out}…`, size) > width) out = out.slice(0, -1);
    return `${out}…`;
  }

  rule(thickness = 0.6, color = RULE): void {
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4.width - MARGIN, y: this.y }, thickness, color });
  }

  title(s: string, size = 20): void {
    this.ensure(size + 10);
    this.y -= size;
    this.text(s, 0, size, { align: 'center', width: A4.width, color: ACCENT });
    this.y -= 8;
    this.page.drawLine({
      start: { x: A4.width / 2 - 90, y: this.y },
      end: { x: A4.width / 2 + 90, y: this.y },
      thickness: 1.2,
      color: ACCENT,
    });
    this.y -= 16;
  }

  /** key: value pairs in two columns. */
  fields(pairs: readonly [string, string][], size = 9.5): void {
    const colWidth = (A4.width - 2 * MARGIN) / 2;
    for (let i = 0; i < pairs.length; i += 2) {
      this.ensure(size + 6);
      this.y -= size + 4;
      for (let j = 0; j < 2; j += 1) {
        const pair = pairs[i + j];
        if (!pair) continue;
        this.text(this.fit(`${pair[0]}：${pair[1]}`, colWidth - 8, size), MARGIN + j * colWidth, size);
      }
    }
    this.y -= 6;
  }

  /** Seller/buyer boxes side by side. */
  parties(left: [string, DocumentParty], right: [string, DocumentParty]): void {
    const size = 9;
    const colWidth = (A4.width - 2 * MARGIN) / 2;
    const rows = (label: string, p: DocumentParty): string[] => [
      `【${label}】`,
      `名称：${p.name}`,
      `统一社会信用代码：${p.creditCode}`,
      `地址：${[p.address.province, p.address.city, p.address.line].filter(Boolean).join(' ')}${p.phone ? `  电话：${p.phone}` : ''}`,
      ...(p.bankName || p.bankAccount ? [`开户行及账号：${[p.bankName, p.bankAccount].filter(Boolean).join(' ')}`] : []),
    ];
    const l = rows(...left);
    const r = rows(...right);
    const height = Math.max(l.length, r.length) * (size + 5) + 10;
    this.ensure(height);
    const top = this.y;
    this.page.drawRectangle({ x: MARGIN, y: top - height, width: colWidth - 4, height, borderColor: RULE, borderWidth: 0.6 });
    this.page.drawRectangle({ x: MARGIN + colWidth + 4, y: top - height, width: colWidth - 4, height, borderColor: RULE, borderWidth: 0.6 });
    for (let i = 0; i < Math.max(l.length, r.length); i += 1) {
      this.y = top - 6 - (i + 1) * (size + 5) + 4;
      if (l[i]) this.text(this.fit(l[i]!, colWidth - 16, size), MARGIN + 6, size);
      if (r[i]) this.text(this.fit(r[i]!, colWidth - 16, size), MARGIN + colWidth + 10, size);
    }
    this.y = top - height - 12;
  }

  table(columns: readonly Column[], rows: readonly string[][], size = 8.5): void {
    const rowHeight = size + 8;
    const header = (): void => {
      this.ensure(rowHeight * 2);
      this.page.drawRectangle({ x: MARGIN, y: this.y - rowHeight, width: A4.width - 2 * MARGIN, height: rowHeight, color: rgb(0.93, 0.93, 0.93) });
      this.y -= rowHeight - 5;
      let x = MARGIN;
      for (const c of columns) {
        this.text(c.header, x + 3, size, { align: c.align ?? 'left', width: c.width - 6 });
        x += c.width;
      }
      this.y -= 5;
    };
    header();
    for (const row of rows) {
      if (this.y - rowHeight < MARGIN) {
        this.ensure(A4.height);
        header();
      }
      this.y -= rowHeight - 5;
      let x = MARGIN;
      columns.forEach((c, i) => {
        this.text(this.fit(row[i] ?? '', c.width - 6, size), x + 3, size, { align: c.align ?? 'left', width: c.width - 6 });
        x += c.width;
      });
      this.y -= 5;
      this.rule(0.3);
    }
    this.y -= 8;
  }

  async save(): Promise<Uint8Array> {
    return this.doc.save({ useObjectStreams: true });
  }
}

const LINE_COLUMNS: Column[] = [
  { header: '序号', width: 28, align: 'center' },
  { header: '商品编码', width: 62 },
  { header: '货物或应税劳务名称', width: 120 },
  { header: '单位', width: 30, align: 'center' },
  { header: '数量', width: 38, align: 'right' },
  { header: '单价', width: 56, align: 'right' },
  { header: '折扣', width: 44, align: 'right' },
  { header: '金额', width: 58, align: 'right' },
  { header: '税率', width: 30, align: 'right' },
  { header: '税额', width: 45.28, align: 'right' },
];

// Every fixed label of the invoice layout, so the font subset covers them.
const INVOICE_LABELS =
  '增值税发票号码开票日期订单号币种付款条件到期日开票后天销售方购买方名称统一社会信用代码地址电话开户行及账号' +
  '序号商品编码货物或应税劳务名称单位数量单价折扣金额税率税额不含税金额价税合计合计金额（不含税）合计税额折扣合计价税合计（小写）（大写）' +
  '备注销售方（章）本发票由系统生成';

/** Renders an invoice model as an A4 PDF with Chinese text. Amounts come from the model only. */
export async function renderInvoicePdf(invoice: Invoice): Promise<Uint8Array> {
  const w = await PdfWriter.create(`增值税发票 ${invoice.number}`, `Invoice ${invoice.number}`, INVOICE_LABELS + JSON.stringify(invoice));
  w.title('增值税发票');
  w.fields([
    ['发票号码', invoice.number],
    ['开票日期', invoice.issueDate],
    ['订单号', invoice.orderNumber ?? '—'],
    ['币种', invoice.currency],
    ['付款条件', invoice.paymentTerms.description ?? `开票后 ${invoice.paymentTerms.netDays} 天`],
    ['到期日', invoice.dueDate],
  ]);
  w.parties(['销售方', invoice.seller], ['购买方', invoice.buyer]);
  w.table(
    LINE_COLUMNS,
    invoice.lines.map((l) => [
      String(l.lineNo),
      l.sku,
      l.name,
      l.unit,
      String(l.quantity),
      formatYuan(l.unitPrice),
      l.discount ? formatYuan(l.discount) : '',
      formatYuan(l.lineNet),
      formatVatRate(l.vatRate),
      formatYuan(l.vatAmount),
    ]),
  );
  w.table(
    [
      { header: '税率', width: 100 },
      { header: '不含税金额', width: 150, align: 'right' },
      { header: '税额', width: 150, align: 'right' },
      { header: '价税合计', width: 111.28, align: 'right' },
    ],
    invoice.vatBreakdown.map((b) => [formatVatRate(b.vatRate), formatYuan(b.taxableAmount), formatYuan(b.vatAmount), formatYuan(b.taxableAmount + b.vatAmount)]),
  );
  w.ensure(80);
  w.rule(0.8, INK);
  w.fields(
    [
      ['合计金额（不含税）', formatYuan(invoice.totals.net)],
      ['合计税额', formatYuan(invoice.totals.vat)],
      ['折扣合计', formatYuan(invoice.totals.discount)],
      ['价税合计（小写）', formatYuan(invoice.totals.gross)],
    ],
    10,
  );
  w.ensure(20);
  w.y -= 12;
  w.text(w.fit(`价税合计（大写）：${amountInChineseUppercase(invoice.totals.gross)}`, A4.width - 2 * MARGIN, 11), MARGIN, 11);
  w.y -= 10;
  w.rule(0.8, INK);
  if (invoice.note) {
    w.y -= 16;
    w.text(w.fit(`备注：${invoice.note}`, A4.width - 2 * MARGIN, 9), MARGIN, 9);
  }
  w.y -= 22;
  w.ensure(20);
  w.text(`销售方（章）：${invoice.seller.name}`, MARGIN, 9);
  w.text('本发票由 DMS 系统生成', 0, 8, { align: 'right', width: A4.width - MARGIN, color: RULE });
  return w.save();
}
