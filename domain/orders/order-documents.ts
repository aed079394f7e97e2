import { BusinessDateSchema } from '../shared/business-date';
import { ValidationError } from '../shared/errors';
import type { Address, Dealer } from '../dealers/dealer';
import {
  buildInvoice,
  buildShippingNote,
  type DocumentParty,
  type Invoice,
  type InvoiceLineInput,
  type PostalAddress,
  type ShippingNote,
} from '../invoicing/invoice';
import type { Order, OrderLine, ShipTo } from './order';

/**
 * The documents an approved order produces: the invoice (发票) and the shipping note (发货单).
 * Pure mapping from the order onto the invoicing models; numbers, dates and parties come from
 * the caller (the numbers are allocated in the same transaction that records the invoice).
 */

/** Printed when a dealer has no address on file: visible on the document, never an empty box. */
export const MISSING_ADDRESS_LINE = '（地址未登记）';

const joinAddressLine = (district: string | undefined, street: string): string => [district, street].filter(Boolean).join('');

function postalAddress(a: Pick<Address, 'province' | 'city' | 'district' | 'street' | 'postalCode'>): PostalAddress {
  return {
    line: joinAddressLine(a.district, a.street),
    province: a.province,
    city: a.city,
    ...(a.postalCode ? { postalCode: a.postalCode } : {}),
    country: 'CN',
  };
}

/** The default address of a type, else the first of that type. */
function pick(addresses: readonly Address[], type: Address['type']): Address | undefined {
  const ofType = addresses.filter((a) => a.type === type);
  return ofType.find((a) => a.isDefault) ?? ofType[0];
}

/**
 * A dealer as buyer/consignee. The address is `address` when given, else the dealer's billing
 * address (default first), else its shipping address, else a placeholder line saying none is on
 * file — the invoice is still issued, and the gap shows on the paper instead of hiding.
 */
export function dealerParty(dealer: Pick<Dealer, 'name' | 'uscc' | 'addresses'>, address?: Address | PostalAddress): DocumentParty {
  const chosen = address ?? pick(dealer.addresses, 'billing') ?? pick(dealer.addresses, 'shipping');
  let mapped: PostalAddress;
  let phone: string | undefined;
  if (!chosen) mapped = { line: MISSING_ADDRESS_LINE, country: 'CN' };
  else if ('street' in chosen) {
    mapped = postalAddress(chosen);
    phone = chosen.phone;
  } else mapped = chosen;
  return { name: dealer.name, creditCode: dealer.uscc, address: mapped, ...(phone ? { phone } : {}) };
}

/** The order's delivery address as printed on the shipping note. */
export function shipToAddress(shipTo: ShipTo): PostalAddress {
  return postalAddress(shipTo);
}

/** "收货人：张伟，电话：13800138000" — the ship-to contact, which has no field of its own on the note. */
export function shipToContact(shipTo: ShipTo): string {
  return `收货人：${shipTo.recipient}，电话：${shipTo.phone}`;
}

function requireNumber(order: Order, document: string): string {
  if (!order.number) throw new ValidationError(`${document} needs a submitted order`, [{ path: 'order/number', message: 'the order has no number (still a draft)' }]);
  return order.number;
}

function checkIssueDate(issueDate: string): void {
  if (!BusinessDateSchema.safeParse(issueDate).success) throw new ValidationError('issue date is not valid', [{ path: 'issueDate', message: 'expected YYYY-MM-DD' }]);
}

/** buildInvoice/buildShippingNote take an instant; noon UTC of the date in UTC is that date. */
const atDate = (issueDate: string): { issuedAt: Date; timeZone: string } => ({ issuedAt: new Date(`${issueDate}T12:00:00Z`), timeZone: 'UTC' });

/**
 * An order line as an invoice line. Printed at list price with the order's discount when that
 * reproduces the order's net exactly (so the 折扣 column shows what the dealer saved); otherwise
 * — e.g. a special price above list — at the resolved unit price with no discount. Either way the
 * invoice line's net is the order line's net, so its half-up VAT is the order line's VAT.
 */
export function invoiceLineFor(line: OrderLine): InvoiceLineInput {
  const base = { sku: line.sku, name: line.name, quantity: line.quantity, unit: line.unit, vatRate: line.vatRate };
  const discountShown = line.lineDiscount > 0 && line.listPrice * line.quantity - line.lineDiscount === line.lineNet;
  return discountShown ? { ...base, unitPrice: line.listPrice, discount: line.lineDiscount } : { ...base, unitPrice: line.unitPrice, discount: 0 };
}

function paymentTermsText(days: number): string {
  return days === 0 ? '见票即付' : `开票后${days}天内付款`;
}

/**
 * The invoice for an order. Its net, VAT and gross equal the order's, line by line and in total;
 * anything else would bill the dealer a different amount than the one approved and reserved
 * against credit, so a mismatch throws instead of issuing.
 */
export function invoiceForOrder(
  order: Order,
  buyer: DocumentParty,
  seller: DocumentParty,
  opts: { number: string; issueDate: string; paymentTermsDays: number },
): Invoice {
  const orderNumber = requireNumber(order, 'an invoice');
  checkIssueDate(opts.issueDate);
  const invoice = buildInvoice({
    number: opts.number,
    ...atDate(opts.issueDate),
    seller,
    buyer,
    lines: order.lines.map(invoiceLineFor),
    paymentTerms: { netDays: opts.paymentTermsDays, description: paymentTermsText(opts.paymentTermsDays) },
    currency: order.currency,
    orderNumber,
    ...(order.customerReference ? { note: `客户订单号：${order.customerReference}` } : {}),
  });
  invoice.lines.forEach((line, i) => {
    const source = order.lines[i]!;
    if (line.lineNet !== source.lineNet || line.vatAmount !== source.vatAmount || line.lineGross !== source.lineGross) {
      throw new Error(
        `invoice ${opts.number} line ${line.lineNo} (${line.sku}) ≠ order ${orderNumber}: net/vat/gross ${line.lineNet}/${line.vatAmount}/${line.lineGross} vs ${source.lineNet}/${source.vatAmount}/${source.lineGross}`,
      );
    }
  });
  const { net, vat, gross } = invoice.totals;
  if (net !== order.totals.net || vat !== order.totals.vat || gross !== order.totals.gross) {
    throw new Error(`invoice ${opts.number} totals ${net}/${vat}/${gross} ≠ order ${orderNumber} totals ${order.totals.net}/${order.totals.vat}/${order.totals.gross}`);
  }
  return invoice;
}

/**
 * The shipping note for an order: every line with its ordered quantity by default, or the lines
 * of one shipment. Ships to the order's ship-to address (else the consignee's address) and prints
 * the ship-to contact as the note.
 */
export function shippingNoteForOrder(
  order: Order,
  consignee: DocumentParty,
  shipper: DocumentParty,
  opts: { number: string; issueDate: string; carrier?: string; trackingNumber?: string; lines?: readonly { sku: string; quantity: number }[] },
): ShippingNote {
  const orderNumber = requireNumber(order, 'a shipping note');
  checkIssueDate(opts.issueDate);
  const bySku = new Map(order.lines.map((l) => [l.sku, l]));
  const lines = (opts.lines ?? order.lines).map((l, i) => {
    const line = bySku.get(l.sku);
    if (!line) throw new ValidationError('shipping note is not valid', [{ path: `lines/${i}/sku`, message: `${l.sku} is not on order ${orderNumber}` }]);
    return { sku: line.sku, name: line.name, unit: line.unit, quantity: l.quantity };
  });
  return buildShippingNote({
    number: opts.number,
    ...atDate(opts.issueDate),
    shipper,
    consignee,
    ...(order.shipTo ? { shipTo: shipToAddress(order.shipTo), note: shipToContact(order.shipTo) } : {}),
    lines,
    orderNumber,
    ...(opts.carrier ? { carrier: opts.carrier } : {}),
    ...(opts.trackingNumber ? { trackingNumber: opts.trackingNumber } : {}),
  });
}
