import type { ShippingNote } from '../../../domain/invoicing/invoice';
import { A4, MARGIN, PdfWriter } from './invoice-pdf';

// Every fixed label of the layout, so the font subset covers them.
const SHIPPING_NOTE_LABELS = '发货单号发货日期订单号承运商运单号收货地址发货方收货方序号商品编码商品名称单位数量合计备注发货人签字收货人签字签收日期_';

/** Renders a shipping note (发货单) as an A4 PDF: no prices, quantities and signatures only. */
export async function renderShippingNotePdf(note: ShippingNote): Promise<Uint8Array> {
  const w = await PdfWriter.create(`发货单 ${note.number}`, `Shipping note ${note.number}`, SHIPPING_NOTE_LABELS + JSON.stringify(note));
  w.title('发货单');
  w.fields([
    ['发货单号', note.number],
    ['发货日期', note.issueDate],
    ['订单号', note.orderNumber ?? '—'],
    ['承运商', note.carrier ?? '—'],
    ['运单号', note.trackingNumber ?? '—'],
    ['收货地址', [note.shipTo.province, note.shipTo.city, note.shipTo.line].filter(Boolean).join(' ')],
  ]);
  w.parties(['发货方', note.shipper], ['收货方', note.consignee]);
  const total = note.lines.reduce((sum, l) => sum + l.quantity, 0);
  w.table(
    [
      { header: '序号', width: 40, align: 'center' },
      { header: '商品编码', width: 110 },
      { header: '商品名称', width: 231.28 },
      { header: '单位', width: 50, align: 'center' },
      { header: '数量', width: 80, align: 'right' },
    ],
    [...note.lines.map((l) => [String(l.lineNo), l.sku, l.name, l.unit, String(l.quantity)]), ['', '', '合计', '', String(total)]],
  );
  if (note.note) {
    w.ensure(20);
    w.y -= 14;
    w.text(w.fit(`备注：${note.note}`, A4.width - 2 * MARGIN, 9), MARGIN, 9);
  }
  w.ensure(60);
  w.y -= 40;
  w.text('发货人签字：____________', MARGIN, 10);
  w.text('收货人签字：____________', MARGIN + 180, 10);
  w.text('签收日期：____________', MARGIN + 360, 10);
  return w.save();
}
