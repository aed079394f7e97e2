import { fenToYuan, formatVatRate, type DocumentParty, type Invoice } from '../../../domain/invoicing/invoice';

/**
 * Structured e-invoice: a JSON document (for the API and the lake) and a UBL 2.1 Invoice XML
 * (for exchange with dealers' ERPs). Amounts are decimal strings in yuan converted exactly from
 * integer 分 by string arithmetic — never floats — so the XML totals equal the model's.
 */

export const UBL_INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const UBL_CAC_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
export const UBL_CBC_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
/** UN/ECE 5305: S = standard rate, Z = zero rated. */
const taxCategory = (rate: number): 'S' | 'Z' => (rate === 0 ? 'Z' : 'S');
/** UN/ECE rec 20 codes would need a mapping table per unit; C62 ("one") is the neutral default. */
const UNIT_CODE = 'C62';

export interface EInvoiceJson {
  format: 'dms-e-invoice';
  version: 1;
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  orderNumber?: string;
  seller: { name: string; creditCode: string; address: string };
  buyer: { name: string; creditCode: string; address: string };
  lines: {
    lineNo: number;
    sku: string;
    name: string;
    quantity: number;
    unit: string;
    unitPrice: string;
    discount: string;
    vatRate: string;
    lineNet: string;
    vatAmount: string;
    lineGross: string;
  }[];
  vatBreakdown: { vatRate: string; taxableAmount: string; vatAmount: string }[];
  totals: { lineExtension: string; discount: string; net: string; vat: string; gross: string; payable: string };
  paymentTerms: { netDays: number; description?: string };
}

const addressText = (p: DocumentParty): string => [p.address.province, p.address.city, p.address.line].filter(Boolean).join(' ');

/** 1300 basis points → "13.00" (percent with two decimals, as UBL's cbc:Percent). */
export function basisPointsToPercent(bp: number): string {
  return fenToYuan(bp);
}

export function toEInvoiceJson(invoice: Invoice): EInvoiceJson {
  const party = (p: DocumentParty) => ({ name: p.name, creditCode: p.creditCode, address: addressText(p) });
  return {
    format: 'dms-e-invoice',
    version: 1,
    number: invoice.number,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    currency: invoice.currency,
    ...(invoice.orderNumber ? { orderNumber: invoice.orderNumber } : {}),
    seller: party(invoice.seller),
    buyer: party(invoice.buyer),
    lines: invoice.lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: fenToYuan(l.unitPrice),
      discount: fenToYuan(l.discount),
      vatRate: formatVatRate(l.vatRate),
      lineNet: fenToYuan(l.lineNet),
      vatAmount: fenToYuan(l.vatAmount),
      lineGross: fenToYuan(l.lineGross),
    })),
    vatBreakdown: invoice.vatBreakdown.map((b) => ({
      vatRate: formatVatRate(b.vatRate),
      taxableAmount: fenToYuan(b.taxableAmount),
      vatAmount: fenToYuan(b.vatAmount),
    })),
    totals: {
      lineExtension: fenToYuan(invoice.totals.lineExtension),
      discount: fenToYuan(invoice.totals.discount),
      net: fenToYuan(invoice.totals.net),
      vat: fenToYuan(invoice.totals.vat),
      gross: fenToYuan(invoice.totals.gross),
      payable: fenToYuan(invoice.totals.gross),
    },
    paymentTerms: { ...invoice.paymentTerms },
  };
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A tiny element builder: keeps the UBL below readable and every text escaped. */
type Node = string | false | undefined;
function el(name: string, attrs: Record<string, string> | null, ...children: Node[]): string {
  const a = attrs ? Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('') : '';
  const kids = children.filter((c): c is string => typeof c === 'string');
  return `<${name}${a}>${kids.join('')}</${name}>`;
}
const text = (name: string, value: string, attrs: Record<string, string> | null = null): string => el(name, attrs, escapeXml(value));

function partyXml(wrapper: 'cac:AccountingSupplierParty' | 'cac:AccountingCustomerParty', p: DocumentParty): string {
  return el(
    wrapper,
    null,
    el(
      'cac:Party',
      null,
      el('cac:PartyIdentification', null, text('cbc:ID', p.creditCode, { schemeName: 'USCC' })),
      el('cac:PartyName', null, text('cbc:Name', p.name)),
      el(
        'cac:PostalAddress',
        null,
        text('cbc:StreetName', p.address.line),
        p.address.city && text('cbc:CityName', p.address.city),
        p.address.postalCode && text('cbc:PostalZone', p.address.postalCode),
        p.address.province && text('cbc:CountrySubentity', p.address.province),
        el('cac:Country', null, text('cbc:IdentificationCode', p.address.country ?? 'CN')),
      ),
      el('cac:PartyTaxScheme', null, text('cbc:CompanyID', p.creditCode), el('cac:TaxScheme', null, text('cbc:ID', 'VAT'))),
      el('cac:PartyLegalEntity', null, text('cbc:RegistrationName', p.name), text('cbc:CompanyID', p.creditCode)),
    ),
  );
}

/** UBL 2.1 Invoice XML (UTF-8). Deterministic: the same invoice gives the same bytes. */
export function toUblInvoiceXml(invoice: Invoice): string {
  const cur = { currencyID: invoice.currency };
  const amount = (name: string, fen: number): string => text(name, fenToYuan(fen), cur);
  const taxCat = (rate: number): string =>
    el('cac:TaxCategory', null, text('cbc:ID', taxCategory(rate)), text('cbc:Percent', basisPointsToPercent(rate)), el('cac:TaxScheme', null, text('cbc:ID', 'VAT')));
  const body = el(
    'Invoice',
    { xmlns: UBL_INVOICE_NS, 'xmlns:cac': UBL_CAC_NS, 'xmlns:cbc': UBL_CBC_NS },
    text('cbc:UBLVersionID', '2.1'),
    text('cbc:ID', invoice.number),
    text('cbc:IssueDate', invoice.issueDate),
    text('cbc:DueDate', invoice.dueDate),
    text('cbc:InvoiceTypeCode', '380'),
    invoice.note && text('cbc:Note', invoice.note),
    text('cbc:DocumentCurrencyCode', invoice.currency),
    invoice.orderNumber && el('cac:OrderReference', null, text('cbc:ID', invoice.orderNumber)),
    partyXml('cac:AccountingSupplierParty', invoice.seller),
    partyXml('cac:AccountingCustomerParty', invoice.buyer),
    el(
      'cac:PaymentTerms',
      null,
      text('cbc:Note', invoice.paymentTerms.description ?? `${invoice.paymentTerms.netDays} days net`),
      text('cbc:PaymentDueDate', invoice.dueDate),
    ),
    // No document-level AllowanceCharge: discounts are line allowances already netted into each
    // LineExtensionAmount, so LineExtension = TaxExclusive holds (EN 16931 BR-CO-13).
    el(
      'cac:TaxTotal',
      null,
      amount('cbc:TaxAmount', invoice.totals.vat),
      ...invoice.vatBreakdown.map((b) =>
        el('cac:TaxSubtotal', null, amount('cbc:TaxableAmount', b.taxableAmount), amount('cbc:TaxAmount', b.vatAmount), taxCat(b.vatRate)),
      ),
    ),
    el(
      'cac:LegalMonetaryTotal',
      null,
      amount('cbc:LineExtensionAmount', invoice.totals.net),
      amount('cbc:TaxExclusiveAmount', invoice.totals.net),
      amount('cbc:TaxInclusiveAmount', invoice.totals.gross),
      amount('cbc:PayableAmount', invoice.totals.gross),
    ),
    ...invoice.lines.map((l) =>
      el(
        'cac:InvoiceLine',
        null,
        text('cbc:ID', String(l.lineNo)),
        text('cbc:InvoicedQuantity', String(l.quantity), { unitCode: UNIT_CODE }),
        amount('cbc:LineExtensionAmount', l.lineNet),
        l.discount > 0 &&
          el('cac:AllowanceCharge', null, text('cbc:ChargeIndicator', 'false'), amount('cbc:Amount', l.discount)),
        el('cac:TaxTotal', null, amount('cbc:TaxAmount', l.vatAmount)),
        el(
          'cac:Item',
          null,
          text('cbc:Name', l.name),
          el('cac:SellersItemIdentification', null, text('cbc:ID', l.sku)),
          el('cac:ClassifiedTaxCategory', null, text('cbc:ID', taxCategory(l.vatRate)), text('cbc:Percent', basisPointsToPercent(l.vatRate)), el('cac:TaxScheme', null, text('cbc:ID', 'VAT'))),
        ),
        el('cac:Price', null, amount('cbc:PriceAmount', l.unitPrice), text('cbc:BaseQuantity', '1', { unitCode: UNIT_CODE })),
      ),
    ),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
}
