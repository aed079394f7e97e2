import * as z from 'zod';
import { MoneySchema, type Money } from '../shared/money';
import { trimmedText } from '../shared/schemas';

/**
 * Product categories: reference data like the sales regions. They change with the product
 * portfolio (a release), not day to day, so they live in code and every product's category
 * is checked against this list.
 */
export const CATEGORIES = [
  { code: 'AC', name: '空调', nameEn: 'Air conditioners' },
  { code: 'REFRIGERATOR', name: '冰箱冷柜', nameEn: 'Refrigerators and freezers' },
  { code: 'WASHER', name: '洗衣机干衣机', nameEn: 'Washers and dryers' },
  { code: 'KITCHEN', name: '厨房电器', nameEn: 'Kitchen appliances' },
  { code: 'WATER_HEATER', name: '热水器', nameEn: 'Water heaters' },
  { code: 'SMALL_APPLIANCE', name: '生活小家电', nameEn: 'Small appliances' },
  { code: 'PARTS', name: '维修配件', nameEn: 'Spare parts' },
  { code: 'CONSUMABLES', name: '耗材', nameEn: 'Consumables' },
] as const;
export type CategoryCode = (typeof CATEGORIES)[number]['code'];
export const CATEGORY_CODES = CATEGORIES.map((c) => c.code) as [CategoryCode, ...CategoryCode[]];

/** Units of measure (计量单位). */
export const UNITS = [
  { code: 'UNIT', name: '台' },
  { code: 'EA', name: '个' },
  { code: 'SET', name: '套' },
  { code: 'PC', name: '件' },
  { code: 'BOX', name: '盒' },
  { code: 'CTN', name: '箱' },
  { code: 'PACK', name: '包' },
  { code: 'BOTTLE', name: '瓶' },
  { code: 'ROLL', name: '卷' },
  { code: 'M', name: '米' },
] as const;
export const UNIT_CODES = UNITS.map((u) => u.code) as [string, ...string[]];

/** China's VAT rates in basis points: 13 % goods, 9 %, 6 % services, 0 % exempt/export. */
export const VAT_RATES = [1300, 900, 600, 0] as const;
export type VatRate = (typeof VAT_RATES)[number];

export const PRODUCT_STATUSES = ['active', 'discontinued'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** SKUs are upper case; input is upper-cased so `ac-1` and `AC-1` are one product. */
export const SkuSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9._-]{2,39}$/, '3–40 characters: letters, digits, dot, dash, underscore');

/** GTIN-8/12/13/14 (EAN/UPC) with its mod-10 check digit. */
export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(code)) return false;
  const digits = [...code].map(Number);
  const check = digits.pop()!;
  const sum = digits.reverse().reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

/** Appends the GTIN check digit to the first 7/11/12/13 digits. */
export function gtinWithCheckDigit(body: string): string {
  const sum = [...body].map(Number).reverse().reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

const BarcodeSchema = z.string().trim().refine(isValidGtin, 'a GTIN/EAN barcode (8, 12, 13 or 14 digits with a correct check digit)');
const QuantitySetting = z.number().int().min(1).max(100_000);

export const NewProductSchema = z
  .strictObject({
    sku: SkuSchema,
    name: trimmedText(100).describe('Chinese name'),
    nameEn: trimmedText(150).describe('English name'),
    category: z.enum(CATEGORY_CODES),
    unit: z.enum(UNIT_CODES),
    barcode: BarcodeSchema.optional(),
    vatRate: z.union(VAT_RATES.map((r) => z.literal(r))).describe('basis points: 1300 = 13 %'),
    status: z.enum(PRODUCT_STATUSES).default('active'),
    orderMultiple: QuantitySetting.optional().describe('orders must be a multiple of this quantity'),
    minOrderQuantity: QuantitySetting.optional(),
    listPrice: MoneySchema.describe('base list price per unit, before any price policy'),
  })
  .refine((p) => !p.orderMultiple || !p.minOrderQuantity || p.minOrderQuantity % p.orderMultiple === 0, {
    message: 'the minimum order quantity must be a multiple of the order multiple',
    path: ['minOrderQuantity'],
  });
export type NewProduct = z.output<typeof NewProductSchema>;

/** A partial change; `null` clears an optional field. The SKU never changes. */
export const ProductChangesSchema = z
  .strictObject({
    name: trimmedText(100),
    nameEn: trimmedText(150),
    category: z.enum(CATEGORY_CODES),
    unit: z.enum(UNIT_CODES),
    barcode: BarcodeSchema.nullable(),
    vatRate: z.union(VAT_RATES.map((r) => z.literal(r))),
    status: z.enum(PRODUCT_STATUSES).describe('discontinue a product by setting discontinued'),
    orderMultiple: QuantitySetting.nullable(),
    minOrderQuantity: QuantitySetting.nullable(),
    listPrice: MoneySchema,
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field to change');
export type ProductChanges = z.output<typeof ProductChangesSchema>;

export interface Product {
  sku: string;
  name: string;
  nameEn: string;
  category: CategoryCode;
  unit: string;
  barcode?: string;
  vatRate: VatRate;
  status: ProductStatus;
  orderMultiple?: number;
  minOrderQuantity?: number;
  listPrice: Money;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

/** Order quantity rules, shared with ordering: problems with ordering `quantity` of `product`. */
export function orderQuantityProblems(product: Pick<Product, 'minOrderQuantity' | 'orderMultiple'>, quantity: number): { code: string; message: string }[] {
  const problems: { code: string; message: string }[] = [];
  if (product.minOrderQuantity && quantity < product.minOrderQuantity) {
    problems.push({ code: 'below_minimum_order_quantity', message: `The minimum order quantity is ${product.minOrderQuantity}.` });
  }
  if (product.orderMultiple && quantity % product.orderMultiple !== 0) {
    problems.push({ code: 'not_order_multiple', message: `Order in multiples of ${product.orderMultiple}.` });
  }
  return problems;
}

/** Case-insensitive prefix search key (Chinese is unaffected by lower-casing). */
export function productSearchKey(name: string): string {
  return name.trim().toLowerCase().normalize('NFKC');
}
