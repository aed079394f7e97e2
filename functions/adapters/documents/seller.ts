import * as z from 'zod';
import { isValidUscc } from '../../../domain/dealers/uscc';
import type { DocumentParty } from '../../../domain/invoicing/invoice';

/**
 * The enterprise as seller (销售方) on invoices and shipper (发货方) on shipping notes. Deployments
 * set `DMS_SELLER` to a JSON DocumentParty; without it the twin prints a demo company so the
 * documents are complete (a valid credit code, address and bank account).
 */
export const SELLER_ENV = 'DMS_SELLER';

export const DEMO_SELLER: DocumentParty = {
  name: '华东智造科技有限公司',
  // 91 (enterprise) 310115 (上海市浦东新区) MA1K4DM80 + check character F.
  creditCode: '91310115MA1K4DM80F',
  address: { province: '上海市', city: '上海市', line: '浦东新区张江高科技园区科苑路88号', postalCode: '201203', country: 'CN' },
  phone: '021-5080 8888',
  bankName: '中国工商银行上海张江支行',
  bankAccount: '1001 2345 0920 0088 888',
};

const text = (max: number) => z.string().trim().min(1).max(max);

const SellerSchema = z.strictObject({
  name: text(100),
  creditCode: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidUscc, 'not a valid unified social credit code'),
  address: z.strictObject({
    line: text(200),
    city: text(30).optional(),
    province: text(30).optional(),
    postalCode: z.string().regex(/^[0-9]{6}$/).optional(),
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
  }),
  phone: text(30).optional(),
  bankName: text(100).optional(),
  bankAccount: text(50).optional(),
});

/** Parses a seller configuration; a broken one fails loudly rather than printing a wrong tax id. */
export function parseSeller(json: string): DocumentParty {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${SELLER_ENV} is not valid JSON`);
  }
  const parsed = SellerSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${SELLER_ENV} is not a valid party: ${parsed.error.issues.map((i) => `${i.path.join('/') || '(root)'} ${i.message}`).join('; ')}`);
  }
  const { address, ...rest } = parsed.data;
  const party: DocumentParty = { name: rest.name, creditCode: rest.creditCode, address: { ...address, country: address.country ?? 'CN' } };
  if (rest.phone) party.phone = rest.phone;
  if (rest.bankName) party.bankName = rest.bankName;
  if (rest.bankAccount) party.bankAccount = rest.bankAccount;
  return party;
}

let cached: { source: string | undefined; party: DocumentParty } | undefined;

/** The configured seller; re-read when the variable changes (tests), else cached per process. */
export function sellerParty(): DocumentParty {
  const source = process.env[SELLER_ENV];
  if (!cached || cached.source !== source) cached = { source, party: source ? parseSeller(source) : DEMO_SELLER };
  // A copy: a caller adjusting its document must not change the seller of the next one.
  return structuredClone(cached.party);
}
