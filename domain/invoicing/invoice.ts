import { addDays, businessDate } from '../shared/business-date';
import { DEFAULT_CURRENCY, mulDivHalfUp, vatOn } from '../shared/money';
import { isValidUscc } from '../dealers/uscc';
import { ValidationError, type FieldError } from '../shared/errors';

/**
 * Invoice (增值税发票) and shipping note (发货单) models. Pure: amounts are integer 分, VAT rates
 * basis points (1300 = 13 %). VAT is computed per line and rounded half-up per line, then
 * summed (DESIGN §3) — so the per-rate breakdown is the sum of line VAT, not VAT of the sum.
 */

export const ENTERPRISE_TIME_ZONE = 'Asia/Shanghai';

export interface PostalAddress {
  /** Free-form lines as printed, e.g. 上海市浦东新区张江路 100 号. */
  line: string;
  city?: string;
  province?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2, CN by default. */
  country?: string;
}

export interface DocumentParty {
  name: string;
  /** Unified social credit code (统一社会信用代码), validated with its check character. */
  creditCode: string;
  address: PostalAddress;
  phone?: string;
  bankName?: string;
  bankAccount?: string;
}

export interface InvoiceLineInput {
  sku: string;
  name: string;
  quantity: number;
  /** Unit of measure as printed (件, 箱, 台). */
  unit: string;
  /** Net unit price in 分 before discount. */
  unitPrice: number;
  /** Line discount in 分 (already resolved by the price policy), subtracted from gross net. */
  discount?: number;
  vatRate: number;
}

export interface InvoiceLine extends Required<InvoiceLineInput> {
  lineNo: number;
  /** quantity × unitPrice − discount. */
  lineNet: number;
  vatAmount: number;
  lineGross: number;
}

export interface VatBreakdownEntry {
  vatRate: number;
  taxableAmount: number;
  vatAmount: number;
}

export interface DocumentTotals {
  /** Σ quantity × unitPrice, before discounts. */
  lineExtension: number;
  discount: number;
  net: number;
  vat: number;
  gross: number;
}

export interface PaymentTerms {
  /** Days after the issue date, e.g. 30 for 月结30天; 0 for cash on delivery/prepayment. */
  netDays: number;
  description?: string;
}

export interface Invoice {
  kind: 'invoice';
  number: string;
  /** Business date YYYY-MM-DD in the enterprise time zone. */
  issueDate: string;
  dueDate: string;
  currency: string;
  seller: DocumentParty;
  buyer: DocumentParty;
  orderNumber?: string;
  lines: InvoiceLine[];
  vatBreakdown: VatBreakdownEntry[];
  totals: DocumentTotals;
  paymentTerms: PaymentTerms;
  note?: string;
}

export interface ShippingNoteLine {
  lineNo: number;
  sku: string;
  name: string;
  quantity: number;
  unit: string;
}

export interface ShippingNote {
  kind: 'shipping_note';
  number: string;
  issueDate: string;
  shipper: DocumentParty;
  consignee: DocumentParty;
  shipTo: PostalAddress;
  orderNumber?: string;
  carrier?: string;
  trackingNumber?: string;
  lines: ShippingNoteLine[];
  note?: string;
}

const NUMBER_SHAPE = { INV: /^INV-\d{4}-\d{6}$/, DN: /^DN-\d{4}-\d{6}$/ } as const;

export { formatDocumentNumber } from '../shared/document-number';


export function computeLine(input: InvoiceLineInput, lineNo: number): InvoiceLine {
  const discount = input.discount ?? 0;
  if (!Number.isInteger(input.quantity) || input.quantity <= 0) throw new RangeError(`line ${lineNo}: quantity must be a positive integer`);
  if (!Number.isInteger(input.unitPrice) || input.unitPrice < 0) throw new RangeError(`line ${lineNo}: unitPrice must be integer 分`);
  if (!Number.isInteger(discount) || discount < 0) throw new RangeError(`line ${lineNo}: discount must be integer 分`);
  if (!Number.isInteger(input.vatRate) || input.vatRate < 0 || input.vatRate > 10_000) throw new RangeError(`line ${lineNo}: vatRate in basis points`);
  // mulDivHalfUp(·,·,1) is an exact BigInt product: quantity × price can exceed 2^53.
  const extension = mulDivHalfUp(input.unitPrice, input.quantity, 1);
  if (discount > extension) throw new RangeError(`line ${lineNo}: discount exceeds the line amount`);
  const lineNet = extension - discount;
  const vatAmount = vatOn(lineNet, input.vatRate);
  return { ...input, discount, lineNo, lineNet, vatAmount, lineGross: lineNet + vatAmount };
}

export function vatBreakdown(lines: readonly InvoiceLine[]): VatBreakdownEntry[] {
  const byRate = new Map<number, VatBreakdownEntry>();
  for (const line of lines) {
    const entry = byRate.get(line.vatRate) ?? { vatRate: line.vatRate, taxableAmount: 0, vatAmount: 0 };
    entry.taxableAmount += line.lineNet;
    entry.vatAmount += line.vatAmount;
    byRate.set(line.vatRate, entry);
  }
  // Highest rate first, as Chinese invoices usually list 13 % before 9 % and 6 %.
  return [...byRate.values()].sort((a, b) => b.vatRate - a.vatRate);
}

export function sumTotals(lines: readonly InvoiceLine[]): DocumentTotals {
  const totals: DocumentTotals = { lineExtension: 0, discount: 0, net: 0, vat: 0, gross: 0 };
  for (const line of lines) {
    totals.lineExtension += line.lineNet + line.discount;
    totals.discount += line.discount;
    totals.net += line.lineNet;
    totals.vat += line.vatAmount;
    totals.gross += line.lineGross;
  }
  return totals;
}

export interface BuildInvoiceInput {
  number: string;
  /** The instant of issue; the issue date is its Asia/Shanghai business date. */
  issuedAt: Date;
  seller: DocumentParty;
  buyer: DocumentParty;
  lines: readonly InvoiceLineInput[];
  paymentTerms: PaymentTerms;
  currency?: string;
  orderNumber?: string;
  note?: string;
  timeZone?: string;
}

function checkParty(role: string, party: DocumentParty, errors: FieldError[]): void {
  if (!party.name.trim()) errors.push({ path: `${role}/name`, message: 'required' });
  if (!isValidUscc(party.creditCode)) errors.push({ path: `${role}/creditCode`, message: 'not a valid unified social credit code' });
}

export function buildInvoice(input: BuildInvoiceInput): Invoice {
  const errors: FieldError[] = [];
  if (!NUMBER_SHAPE.INV.test(input.number)) errors.push({ path: 'number', message: 'expected INV-YYYY-NNNNNN' });
  checkParty('seller', input.seller, errors);
  checkParty('buyer', input.buyer, errors);
  if (input.lines.length === 0) errors.push({ path: 'lines', message: 'an invoice needs at least one line' });
  if (!Number.isInteger(input.paymentTerms.netDays) || input.paymentTerms.netDays < 0) errors.push({ path: 'paymentTerms/netDays', message: 'non-negative days' });
  if (errors.length > 0) throw new ValidationError('invoice is not valid', errors);
  const lines = input.lines.map((line, i) => computeLine(line, i + 1));
  const issueDate = businessDate(input.issuedAt, input.timeZone ?? ENTERPRISE_TIME_ZONE);
  return {
    kind: 'invoice',
    number: input.number,
    issueDate,
    dueDate: addDays(issueDate, input.paymentTerms.netDays),
    currency: input.currency ?? DEFAULT_CURRENCY,
    seller: input.seller,
    buyer: input.buyer,
    ...(input.orderNumber ? { orderNumber: input.orderNumber } : {}),
    lines,
    vatBreakdown: vatBreakdown(lines),
    totals: sumTotals(lines),
    paymentTerms: input.paymentTerms,
    ...(input.note ? { note: input.note } : {}),
  };
}

export interface BuildShippingNoteInput {
  number: string;
  issuedAt: Date;
  shipper: DocumentParty;
  consignee: DocumentParty;
  shipTo?: PostalAddress;
  lines: readonly Omit<ShippingNoteLine, 'lineNo'>[];
  orderNumber?: string;
  carrier?: string;
  trackingNumber?: string;
  note?: string;
  timeZone?: string;
}

export function buildShippingNote(input: BuildShippingNoteInput): ShippingNote {
  const errors: FieldError[] = [];
  if (!NUMBER_SHAPE.DN.test(input.number)) errors.push({ path: 'number', message: 'expected DN-YYYY-NNNNNN' });
  checkParty('shipper', input.shipper, errors);
  checkParty('consignee', input.consignee, errors);
  if (input.lines.length === 0) errors.push({ path: 'lines', message: 'a shipping note needs at least one line' });
  input.lines.forEach((l, i) => {
    if (!Number.isInteger(l.quantity) || l.quantity <= 0) errors.push({ path: `lines/${i}/quantity`, message: 'positive integer' });
  });
  if (errors.length > 0) throw new ValidationError('shipping note is not valid', errors);
  return {
    kind: 'shipping_note',
    number: input.number,
    issueDate: businessDate(input.issuedAt, input.timeZone ?? ENTERPRISE_TIME_ZONE),
    shipper: input.shipper,
    consignee: input.consignee,
    shipTo: input.shipTo ?? input.consignee.address,
    ...(input.orderNumber ? { orderNumber: input.orderNumber } : {}),
    ...(input.carrier ? { carrier: input.carrier } : {}),
    ...(input.trackingNumber ? { trackingNumber: input.trackingNumber } : {}),
    lines: input.lines.map((l, i) => ({ ...l, lineNo: i + 1 })),
    ...(input.note ? { note: input.note } : {}),
  };
}

/** 分 → "1234.56" exactly (string arithmetic, no floats). */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError('amount must be a safe integer in 分');
  const sign = fen < 0 ? '-' : '';
  const abs = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

/** "¥1,234.56" for printing. */
export function formatYuan(fen: number): string {
  const [int, dec] = fenToYuan(fen).split('.') as [string, string];
  const neg = int.startsWith('-');
  const digits = neg ? int.slice(1) : int;
  return `${neg ? '-' : ''}¥${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

/** 1300 → "13%", 650 → "6.5%". */
export function formatVatRate(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const frac = basisPoints % 100;
  return frac === 0 ? `${whole}%` : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}%`;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/** One 4-digit group in financial uppercase, with 零 for inner zero runs. */
function groupToUpper(group: number): string {
  let out = '';
  let zero = false;
  for (let pos = 3; pos >= 0; pos -= 1) {
    const digit = Math.floor(group / 10 ** pos) % 10;
    if (digit === 0) {
      if (out) zero = true;
    } else {
      if (zero) out += '零';
      zero = false;
      out += DIGITS[digit]! + SMALL_UNITS[pos]!;
    }
  }
  return out;
}

/**
 * 大写金额 as printed on Chinese invoices and cheques: 12345.60 → 壹万贰仟叁佰肆拾伍元陆角整,
 * 100.05 → 壹佰元零伍分, 0 → 零元整. Input is 分 (non-negative safe integer).
 */
export function amountInChineseUppercase(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError('amount must be a non-negative safe integer in 分');
  let yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  let integerPart = '';
  if (yuan === 0) {
    integerPart = '';
  } else {
    const groups: number[] = [];
    while (yuan > 0) {
      groups.push(yuan % 10_000);
      yuan = Math.floor(yuan / 10_000);
    }
    let needZero = false;
    for (let i = groups.length - 1; i >= 0; i -= 1) {
      const g = groups[i]!;
      if (g === 0) {
        if (integerPart) needZero = true;
        continue;
      }
      // A group below 1000 following a higher group needs a 零 (e.g. 1,0500 → 壹万零伍佰).
      if (integerPart && (needZero || g < 1000)) integerPart += '零';
      needZero = false;
      integerPart += groupToUpper(g) + BIG_UNITS[i]!;
    }
    integerPart += '元';
  }
  if (jiao === 0 && fenDigit === 0) return `${integerPart || '零元'}整`;
  let decimal = '';
  if (jiao > 0) decimal += `${DIGITS[jiao]}角`;
  else if (integerPart) decimal += '零';
  if (fenDigit > 0) decimal += `${DIGITS[fenDigit]}分`;
  else decimal += '整';
  return integerPart + decimal;
}
