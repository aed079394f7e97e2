import type { PriceListRepository, ProductReader, PromotionRepository, SpecialPriceRepository } from '../catalog/ports';
import { orderQuantityProblems, type Product } from '../catalog/product';
import { resolvePrice } from '../catalog/resolve-price';
import type { Dealer } from '../dealers/dealer';
import { ValidationError, type FieldError } from '../shared/errors';
import type { OrderLine, OrderLineInput } from './order';

/** The price policy's stores, read once per order (special prices once per SKU). */
export interface OrderPricingSources {
  products: ProductReader;
  priceLists: PriceListRepository;
  specialPrices: SpecialPriceRepository;
  promotions: PromotionRepository;
}

export interface PricedOrder {
  currency: string;
  lines: OrderLine[];
}

/**
 * Prices every line through the same `resolvePrice` a quote uses, for the dealer on `date`.
 * Every line that cannot be ordered is named with its reason — unknown SKU, discontinued,
 * below the minimum quantity, not a multiple, priced in another currency — in one 400, so the
 * dealer fixes the whole order at once.
 */
export async function priceOrderLines(
  sources: OrderPricingSources,
  dealer: Pick<Dealer, 'id' | 'tier' | 'channelType'>,
  inputs: OrderLineInput[],
  date: string,
  pathPrefix = 'body/lines',
): Promise<PricedOrder> {
  const skus = inputs.map((line) => line.sku);
  const [products, priceLists, promotions, specialPrices] = await Promise.all([
    sources.products.getMany(skus),
    sources.priceLists.candidatesFor(dealer.tier, dealer.channelType, date),
    sources.promotions.candidatesFor(date),
    Promise.all(skus.map((sku) => sources.specialPrices.candidatesFor(dealer.id, sku, date))),
  ]);
  const bySku = new Map<string, Product>(products.map((p) => [p.sku, p]));
  const problems: FieldError[] = [];
  const lines: OrderLine[] = [];
  let currency: string | undefined;

  inputs.forEach((input, index) => {
    const path = `${pathPrefix}/${index}`;
    const product = bySku.get(input.sku);
    if (!product) {
      problems.push({ path: `${path}/sku`, code: 'unknown_sku', message: `line ${index + 1}: unknown SKU ${input.sku}` });
      return;
    }
    if (product.status !== 'active') {
      problems.push({ path: `${path}/sku`, code: 'product_discontinued', message: `line ${index + 1}: ${product.sku} ${product.name} is discontinued` });
    }
    for (const problem of orderQuantityProblems(product, input.quantity)) {
      problems.push({ path: `${path}/quantity`, code: problem.code, message: `line ${index + 1} (${product.sku}): ${problem.message}` });
    }
    currency ??= product.listPrice.currency;
    if (product.listPrice.currency !== currency) {
      problems.push({ path: `${path}/sku`, code: 'mixed_currencies', message: `line ${index + 1}: ${product.sku} is priced in ${product.listPrice.currency}, the order in ${currency}` });
      return;
    }
    const quote = resolvePrice(
      { dealer, product, quantity: input.quantity, date },
      { specialPrices: specialPrices[index] ?? [], priceLists, promotions },
    );
    const winner = quote.explanation.winner;
    lines.push({
      lineNo: index + 1,
      sku: product.sku,
      name: product.name,
      unit: product.unit,
      quantity: input.quantity,
      ...(input.requestedDate ? { requestedDate: input.requestedDate } : {}),
      listPrice: quote.listPrice,
      unitPrice: quote.unitPrice,
      discountPerUnit: quote.discountPerUnit,
      vatRate: quote.vatRate,
      lineNet: quote.lineNet,
      lineDiscount: quote.lineDiscount,
      vatAmount: quote.vatAmount,
      lineGross: quote.lineGross,
      priceRule: `${winner.kind}: ${winner.name}${quote.explanation.promotion ? ` + ${quote.explanation.promotion.name}` : ''}`,
      shippedQuantity: 0,
    });
  });

  if (problems.length > 0) {
    throw new ValidationError(`${problems.length} order line problem(s): ${problems.map((p) => p.message).slice(0, 5).join('; ')}`, problems, 'order_lines_invalid');
  }
  return { currency: currency!, lines };
}
