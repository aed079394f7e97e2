/**
 * Human document numbers per type and year: `SO-2026-000123`, `INV-2026-000001`, `DN-…`,
 * `CN-…` (credit notes, 红字发票: gapless like invoices).
 * Six digits give a million documents of one type per year; past that the number just grows.
 */
export const DOCUMENT_TYPES = ['SO', 'INV', 'DN', 'RCV', 'PAY', 'CN'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export function formatDocumentNumber(type: DocumentType, year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  return `${type}-${year}-${String(sequence).padStart(6, '0')}`;
}
