import type { ChannelType, DealerTier } from '../dealers/dealer';
import { checkValidity, type Validity } from '../shared/business-date';
import { mulDivHalfUp, vatOn } from '../shared/money';
import type { PriceList, Promotion, SpecialPrice } from './price-policy';
import type { Product } from './product';

/**
 * Price resolution: the unit price of one SKU for one dealer, quantity and business date.
 *
 * Precedence of the base price — the first level that has an applicable rule wins:
 *   1. a special price agreed with this dealer for this SKU;
 *   2. a price list for the dealer's channel type;
 *   3. a price list for the dealer's tier;
 *   4. the product's base list price.
 * A rule applies when its validity window contains the date (both ends inclusive), its
 * currency is the list price's, and (price lists) it prices the SKU at a break ≤ quantity; the
 * line with the largest such break is used. Several applicable rules of one level: the one
 * that became valid last wins (a newer list supersedes an older one without ending it); equal
 * dates → the one created last (larger id).
 *
 * Never above the list price unless the winning rule says so (`allowAboveListPrice`): a higher
 * price is otherwise capped at the list price, and the explanation says it was.
 *
 * Then at most one promotion, the applicable one with the largest discount per unit, applies
 * on top of the base price (promotions do not stack; ties → the one ending first, then the
 * smaller id). A promotion applies inside its window, to its SKUs and categories, to the
 * tiers/channel types it names (none named: all), from its minimum quantity, in the list
 * price's currency. Percent discounts round the unit price half-up to the fen; a fixed amount
 * off never takes the price below zero.
 *
 * Line amounts: net = unit price × quantity; VAT = net × rate, half-up per line; gross = net + VAT.
 */
export const PRECEDENCE = ['special_price', 'channel_price_list', 'tier_price_list', 'list_price'] as const;
export type PriceRuleKind = (typeof PRECEDENCE)[number];
export type RuleKind = PriceRuleKind | 'promotion';

export type RuleOutcome = 'won' | 'superseded' | 'outranked' | 'not_applicable' | 'applied' | 'smaller_discount';

export type NotApplicableReason =
  | 'not_yet_valid'
  | 'expired'
  | 'other_dealer'
  | 'other_sku'
  | 'other_tier'
  | 'other_channel'
  | 'currency_mismatch'
  | 'no_price_for_sku'
  | 'below_min_quantity'
  | 'sku_not_in_scope'
  | 'tier_excluded'
  | 'channel_excluded';

export interface ConsideredRule {
  kind: RuleKind;
  /** Special price / price list / promotion id; the SKU for the list price. */
  id: string;
  name: string;
  outcome: RuleOutcome;
  /** Why it did not apply (outcome not_applicable). */
  reason?: NotApplicableReason;
  /** What the rule would make the unit price (price rules) or take off it (promotions). */
  unitPrice?: number;
  discountPerUnit?: number;
  detail: string;
}

export interface PriceExplanation {
  precedence: PriceRuleKind[];
  /** The rule that set the base price. */
  winner: { kind: PriceRuleKind; id: string; name: string; unitPrice: number };
  /** The winner asked for more than the list price without allowing it: capped to the list price. */
  cappedAtListPrice: boolean;
  promotion?: { id: string; name: string; discountPerUnit: number };
  /** Every rule looked at, in precedence order, promotions last. */
  considered: ConsideredRule[];
  summary: string;
}

export interface PricingDealer {
  id: string;
  tier: DealerTier;
  channelType: ChannelType;
}

export interface PriceRequest {
  dealer: PricingDealer;
  product: Pick<Product, 'sku' | 'name' | 'category' | 'vatRate' | 'listPrice'>;
  quantity: number;
  /** Business date `YYYY-MM-DD`. */
  date: string;
}

/** The candidate rules; the loader may pass more than apply: each is checked here. */
export interface PricePolicies {
  specialPrices: SpecialPrice[];
  priceLists: PriceList[];
  promotions: Promotion[];
}

export interface PriceQuote {
  dealerId: string;
  sku: string;
  quantity: number;
  date: string;
  currency: string;
  listPrice: number;
  /** After precedence and cap, before the promotion. */
  basePrice: number;
  unitPrice: number;
  /** List price − unit price (negative when a rule allowed a price above the list price). */
  discountPerUnit: number;
  vatRate: number;
  lineNet: number;
  lineDiscount: number;
  vatAmount: number;
  lineGross: number;
  explanation: PriceExplanation;
}

interface Candidate {
  rule: ConsideredRule;
  validFrom: string;
  allowAboveListPrice: boolean;
}

const KIND_LABEL: Record<RuleKind, string> = {
  special_price: 'special price',
  channel_price_list: 'channel price list',
  tier_price_list: 'tier price list',
  list_price: 'list price',
  promotion: 'promotion',
};

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

function windowText(rule: Validity): string {
  return `${rule.validFrom} – ${rule.validTo ?? 'open'}`;
}

function validityReason(rule: Validity, date: string): NotApplicableReason | undefined {
  const check = checkValidity(rule, date);
  return check === 'valid' ? undefined : check;
}

function notApplicable(kind: RuleKind, id: string, name: string, reason: NotApplicableReason, detail: string): ConsideredRule {
  return { kind, id, name, outcome: 'not_applicable', reason, detail };
}

/** Newest validFrom first, then newest id: the order in which rules of one level win. */
function byRecency(a: Candidate, b: Candidate): number {
  if (a.validFrom !== b.validFrom) return a.validFrom < b.validFrom ? 1 : -1;
  return a.rule.id < b.rule.id ? 1 : a.rule.id > b.rule.id ? -1 : 0;
}

function specialPriceCandidates(request: PriceRequest, specials: SpecialPrice[], currency: string): { considered: ConsideredRule[]; applicable: Candidate[] } {
  const considered: ConsideredRule[] = [];
  const applicable: Candidate[] = [];
  for (const sp of specials) {
    const name = sp.note ?? `Special price for dealer ${sp.dealerId}`;
    const inWindow = validityReason(sp, request.date);
    let rule: ConsideredRule;
    if (sp.dealerId !== request.dealer.id) rule = notApplicable('special_price', sp.id, name, 'other_dealer', 'agreed with another dealer');
    else if (sp.sku !== request.product.sku) rule = notApplicable('special_price', sp.id, name, 'other_sku', `for SKU ${sp.sku}`);
    else if (sp.currency !== currency) rule = notApplicable('special_price', sp.id, name, 'currency_mismatch', `in ${sp.currency}, the list price is in ${currency}`);
    else if (inWindow) rule = notApplicable('special_price', sp.id, name, inWindow, `valid ${windowText(sp)}`);
    else {
      rule = { kind: 'special_price', id: sp.id, name, outcome: 'won', unitPrice: sp.amount, detail: `${yuan(sp.amount)}, valid ${windowText(sp)}` };
      applicable.push({ rule, validFrom: sp.validFrom, allowAboveListPrice: sp.allowAboveListPrice });
    }
    considered.push(rule);
  }
  return { considered, applicable };
}

function priceListCandidates(
  request: PriceRequest,
  lists: PriceList[],
  kind: 'channel_price_list' | 'tier_price_list',
  currency: string,
): { considered: ConsideredRule[]; applicable: Candidate[] } {
  const considered: ConsideredRule[] = [];
  const applicable: Candidate[] = [];
  const { dealer, product, quantity } = request;
  for (const list of lists) {
    const isChannelList = list.channelType !== undefined;
    if (isChannelList !== (kind === 'channel_price_list')) continue;
    const inWindow = validityReason(list, request.date);
    const skuLines = list.lines.filter((line) => line.sku === product.sku);
    const line = skuLines.filter((l) => l.minQuantity <= quantity).sort((a, b) => b.minQuantity - a.minQuantity)[0];
    let rule: ConsideredRule;
    if (isChannelList && list.channelType !== dealer.channelType) {
      rule = notApplicable(kind, list.id, list.name, 'other_channel', `for channel ${list.channelType}, the dealer is ${dealer.channelType}`);
    } else if (!isChannelList && list.tier !== dealer.tier) {
      rule = notApplicable(kind, list.id, list.name, 'other_tier', `for tier ${list.tier}, the dealer is ${dealer.tier}`);
    } else if (list.currency !== currency) {
      rule = notApplicable(kind, list.id, list.name, 'currency_mismatch', `in ${list.currency}, the list price is in ${currency}`);
    } else if (inWindow) {
      rule = notApplicable(kind, list.id, list.name, inWindow, `valid ${windowText(list)}`);
    } else if (skuLines.length === 0) {
      rule = notApplicable(kind, list.id, list.name, 'no_price_for_sku', `has no price for ${product.sku}`);
    } else if (!line) {
      const smallest = Math.min(...skuLines.map((l) => l.minQuantity));
      rule = notApplicable(kind, list.id, list.name, 'below_min_quantity', `prices ${product.sku} from ${smallest} units, quantity is ${quantity}`);
    } else {
      const breakText = line.minQuantity > 1 ? ` from ${line.minQuantity} units` : '';
      rule = { kind, id: list.id, name: list.name, outcome: 'won', unitPrice: line.amount, detail: `${yuan(line.amount)}${breakText}, valid ${windowText(list)}` };
      applicable.push({ rule, validFrom: list.validFrom, allowAboveListPrice: list.allowAboveListPrice });
    }
    considered.push(rule);
  }
  return { considered, applicable };
}

function promotionDiscount(promotion: Promotion, basePrice: number): number {
  if (promotion.discount.kind === 'percent') {
    return basePrice - mulDivHalfUp(basePrice, 10_000 - promotion.discount.basisPoints, 10_000);
  }
  return Math.min(promotion.discount.amount, basePrice);
}

function discountText(promotion: Promotion): string {
  return promotion.discount.kind === 'percent' ? `${promotion.discount.basisPoints / 100}% off` : `${yuan(promotion.discount.amount)} off per unit`;
}

export function resolvePrice(request: PriceRequest, policies: PricePolicies): PriceQuote {
  const { product, dealer, quantity, date } = request;
  const currency = product.listPrice.currency;
  const listPrice = product.listPrice.amount;

  // 1–3: the price rules, level by level; within a level the most recently valid wins.
  const levels = [
    { kind: 'special_price' as const, ...specialPriceCandidates(request, policies.specialPrices, currency) },
    { kind: 'channel_price_list' as const, ...priceListCandidates(request, policies.priceLists, 'channel_price_list', currency) },
    { kind: 'tier_price_list' as const, ...priceListCandidates(request, policies.priceLists, 'tier_price_list', currency) },
  ];
  let winner: Candidate | undefined;
  for (const level of levels) {
    const ranked = [...level.applicable].sort(byRecency);
    ranked.forEach((candidate, index) => {
      if (winner) {
        candidate.rule.outcome = 'outranked';
        candidate.rule.detail += `; outranked by the ${KIND_LABEL[winner.rule.kind]} ${winner.rule.name}`;
      } else if (index > 0) {
        candidate.rule.outcome = 'superseded';
        candidate.rule.detail += `; superseded by ${ranked[0]!.rule.name} (valid from ${ranked[0]!.validFrom})`;
      }
    });
    winner ??= ranked[0];
  }

  // 4: the list price, always considered.
  const listRule: ConsideredRule = {
    kind: 'list_price',
    id: product.sku,
    name: 'Base list price',
    outcome: winner ? 'outranked' : 'won',
    unitPrice: listPrice,
    detail: winner ? `${yuan(listPrice)}; outranked by the ${KIND_LABEL[winner.rule.kind]} ${winner.rule.name}` : yuan(listPrice),
  };
  const base = winner ?? { rule: listRule, validFrom: '', allowAboveListPrice: false };
  let basePrice = base.rule.unitPrice!;
  const cappedAtListPrice = basePrice > listPrice && !base.allowAboveListPrice;
  if (cappedAtListPrice) {
    base.rule.detail += `; capped at the list price ${yuan(listPrice)} (the rule does not allow prices above it)`;
    basePrice = listPrice;
  }

  // Promotions on top: the largest discount wins.
  const promotionRules: { rule: ConsideredRule; promotion: Promotion; discount: number }[] = [];
  const considered: ConsideredRule[] = [...levels.flatMap((l) => l.considered), listRule];
  for (const promotion of policies.promotions) {
    const inWindow = validityReason(promotion, date);
    const inScope = promotion.skus.includes(product.sku) || promotion.categories.includes(product.category);
    let rule: ConsideredRule;
    if (inWindow) rule = notApplicable('promotion', promotion.id, promotion.name, inWindow, `runs ${windowText(promotion)}`);
    else if (!inScope) rule = notApplicable('promotion', promotion.id, promotion.name, 'sku_not_in_scope', `covers neither ${product.sku} nor category ${product.category}`);
    else if (promotion.tiers.length > 0 && !promotion.tiers.includes(dealer.tier)) {
      rule = notApplicable('promotion', promotion.id, promotion.name, 'tier_excluded', `only for tiers ${promotion.tiers.join(', ')}`);
    } else if (promotion.channelTypes.length > 0 && !promotion.channelTypes.includes(dealer.channelType)) {
      rule = notApplicable('promotion', promotion.id, promotion.name, 'channel_excluded', `only for channels ${promotion.channelTypes.join(', ')}`);
    } else if (promotion.minQuantity !== undefined && quantity < promotion.minQuantity) {
      rule = notApplicable('promotion', promotion.id, promotion.name, 'below_min_quantity', `from ${promotion.minQuantity} units, quantity is ${quantity}`);
    } else if (promotion.discount.kind === 'amount' && promotion.discount.currency !== currency) {
      rule = notApplicable('promotion', promotion.id, promotion.name, 'currency_mismatch', `in ${promotion.discount.currency}, the list price is in ${currency}`);
    } else {
      const discount = promotionDiscount(promotion, basePrice);
      rule = { kind: 'promotion', id: promotion.id, name: promotion.name, outcome: 'applied', discountPerUnit: discount, detail: `${discountText(promotion)} = ${yuan(discount)} per unit` };
      promotionRules.push({ rule, promotion, discount });
    }
    considered.push(rule);
  }
  promotionRules.sort(
    (a, b) => b.discount - a.discount || (a.promotion.validTo < b.promotion.validTo ? -1 : a.promotion.validTo > b.promotion.validTo ? 1 : 0) || (a.promotion.id < b.promotion.id ? -1 : 1),
  );
  const best = promotionRules[0];
  for (const other of promotionRules.slice(1)) {
    other.rule.outcome = 'smaller_discount';
    other.rule.detail += `; ${best!.promotion.name} gives more`;
  }

  const discountFromPromotion = best?.discount ?? 0;
  const unitPrice = Math.max(0, basePrice - discountFromPromotion);
  const lineNet = unitPrice * quantity;
  const vatAmount = vatOn(lineNet, product.vatRate);
  const winnerSummary = `${KIND_LABEL[base.rule.kind]} ${base.rule.name} sets ${yuan(basePrice)}${cappedAtListPrice ? ' (capped at the list price)' : ''}`;
  const summary = best ? `${winnerSummary}; promotion ${best.promotion.name} takes ${yuan(discountFromPromotion)} off → ${yuan(unitPrice)}` : `${winnerSummary}; no promotion applies → ${yuan(unitPrice)}`;

  return {
    dealerId: dealer.id,
    sku: product.sku,
    quantity,
    date,
    currency,
    listPrice,
    basePrice,
    unitPrice,
    discountPerUnit: listPrice - unitPrice,
    vatRate: product.vatRate,
    lineNet,
    lineDiscount: (listPrice - unitPrice) * quantity,
    vatAmount,
    lineGross: lineNet + vatAmount,
    explanation: {
      precedence: [...PRECEDENCE],
      winner: { kind: base.rule.kind as PriceRuleKind, id: base.rule.id, name: base.rule.name, unitPrice: basePrice },
      cappedAtListPrice,
      ...(best ? { promotion: { id: best.promotion.id, name: best.promotion.name, discountPerUnit: discountFromPromotion } } : {}),
      considered,
      summary,
    },
  };
}
