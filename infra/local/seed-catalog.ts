import type { DealerTier } from '../../domain/dealers/dealer';
import type { PriceListLine } from '../../domain/catalog/price-policy';
import { gtinWithCheckDigit, type CategoryCode, type NewProduct, type VatRate } from '../../domain/catalog/product';
import { catalogRuntime } from '../../functions/adapters/catalog-runtime';
import { seedContext } from './seed-context';
import type { DemoWorld } from './seed-contexts';

/**
 * Demo catalogue: ~115 SKUs of a home-appliance maker (appliances, spare parts, consumables),
 * a 2026 price list per dealer tier, e-commerce and project channel lists, special prices for
 * a few dealers and the promotions running around now. Loaded through the same use cases the
 * API calls, so the audit log shows where every price came from.
 */

interface Brand {
  code: string;
  zh: string;
  en: string;
}
interface Model {
  code: string;
  zh: string;
  en: string;
  /** List price in yuan. */
  price: number;
  unit?: string;
  vat?: VatRate;
  multiple?: number;
  moq?: number;
}

const b = (code: string, zh: string, en: string): Brand => ({ code, zh, en });
const m = (code: string, zh: string, en: string, price: number, extra: Partial<Model> = {}): Model => ({ code, zh, en, price, ...extra });

/** Appliances: every brand makes every model of its category. */
const APPLIANCES: { category: CategoryCode; brands: Brand[]; models: Model[] }[] = [
  {
    category: 'AC',
    brands: [b('GREE', '格力', 'Gree'), b('MIDEA', '美的', 'Midea'), b('HAIER', '海尔', 'Haier'), b('AUX', '奥克斯', 'AUX')],
    models: [
      m('KFR26GW', '1匹 新一级能效变频冷暖挂机', '1 HP inverter wall-mounted AC, grade 1', 2_699),
      m('KFR35GW', '1.5匹 新一级能效变频冷暖挂机', '1.5 HP inverter wall-mounted AC, grade 1', 3_299),
      m('KFR50LW', '2匹 变频冷暖立式柜机', '2 HP inverter floor-standing AC', 5_999),
      m('KFR72LW', '3匹 变频冷暖立式柜机', '3 HP inverter floor-standing AC', 7_999),
    ],
  },
  {
    category: 'REFRIGERATOR',
    brands: [b('HAIER', '海尔', 'Haier'), b('MIDEA', '美的', 'Midea'), b('RONSHEN', '容声', 'Ronshen'), b('SIEMENS', '西门子', 'Siemens')],
    models: [
      m('BCD235', '235升 三门风冷无霜冰箱', '235 L three-door frost-free fridge', 2_199),
      m('BCD450', '450升 十字对开门冰箱', '450 L cross-door fridge', 4_599),
      m('BCD520', '520升 对开门变频冰箱', '520 L side-by-side inverter fridge', 5_299),
      m('BD200', '200升 卧式冷柜', '200 L chest freezer', 1_499),
    ],
  },
  {
    category: 'WASHER',
    brands: [b('HAIER', '海尔', 'Haier'), b('LITTLESWAN', '小天鹅', 'Little Swan'), b('SIEMENS', '西门子', 'Siemens'), b('MIDEA', '美的', 'Midea')],
    models: [
      m('G100', '10公斤 变频滚筒洗衣机', '10 kg inverter front-loading washer', 2_899),
      m('B80', '8公斤 波轮洗衣机', '8 kg top-loading washer', 1_299),
      m('HD100', '10公斤 洗烘一体机', '10 kg washer-dryer', 3_999),
      m('GDR100', '10公斤 热泵干衣机', '10 kg heat-pump dryer', 4_499),
    ],
  },
  {
    category: 'KITCHEN',
    brands: [b('FOTILE', '方太', 'Fotile'), b('ROBAM', '老板', 'Robam'), b('VATTI', '华帝', 'Vatti'), b('MIDEA', '美的', 'Midea')],
    models: [
      m('CXW', '侧吸式油烟机', 'side-draft range hood', 3_299),
      m('JZT', '嵌入式燃气灶', 'built-in gas hob', 1_599),
      m('DW13', '13套 嵌入式洗碗机', '13-place built-in dishwasher', 4_999),
      m('ZK', '嵌入式蒸烤一体机', 'built-in steam oven', 5_499),
    ],
  },
  {
    category: 'WATER_HEATER',
    brands: [b('HAIER', '海尔', 'Haier'), b('AOSMITH', 'A.O.史密斯', 'A. O. Smith'), b('MIDEA', '美的', 'Midea'), b('VANWARD', '万和', 'Vanward')],
    models: [
      m('EC60', '60升 储水式电热水器', '60 L electric storage water heater', 1_699),
      m('JSQ16', '16升 零冷水燃气热水器', '16 L instant gas water heater', 2_899),
      m('KF200', '200升 空气能热水器', '200 L heat-pump water heater', 7_999),
    ],
  },
  {
    category: 'SMALL_APPLIANCE',
    brands: [b('MIDEA', '美的', 'Midea'), b('SUPOR', '苏泊尔', 'Supor'), b('JOYOUNG', '九阳', 'Joyoung'), b('PHILIPS', '飞利浦', 'Philips')],
    models: [
      m('RC40', '4升 IH电饭煲', '4 L IH rice cooker', 599, { unit: 'EA' }),
      m('BL12', '破壁料理机', 'high-speed blender', 799, { unit: 'EA' }),
      m('AF55', '5.5升 空气炸锅', '5.5 L air fryer', 399, { unit: 'EA' }),
      m('KT17', '1.7升 电水壶', '1.7 L electric kettle', 169, { unit: 'EA', multiple: 6, moq: 6 }),
    ],
  },
];

/** Spare parts and consumables: own brand, sold by the piece or the carton. */
const PARTS: { category: CategoryCode; models: Model[] }[] = [
  {
    category: 'PARTS',
    models: [
      m('RC-AC-01', '空调通用遥控器', 'universal AC remote control', 45, { unit: 'EA' }),
      m('CAP-35UF', '压缩机启动电容 35μF', 'compressor start capacitor 35 µF', 38, { unit: 'EA', multiple: 10, moq: 10 }),
      m('SEAL-BCD', '冰箱门封条', 'refrigerator door gasket', 89, { unit: 'EA' }),
      m('PUMP-DR', '洗衣机排水泵', 'washer drain pump', 128, { unit: 'EA' }),
      m('MOTOR-CXW', '油烟机电机', 'range hood motor', 420, { unit: 'EA' }),
      m('ANODE-MG', '热水器镁棒', 'water heater magnesium anode', 35, { unit: 'EA', multiple: 10, moq: 10 }),
      m('IGN-JZT', '燃气灶点火针', 'gas hob ignition electrode', 18, { unit: 'EA', multiple: 20, moq: 20 }),
      m('BRKT-ODU', '空调室外机支架', 'outdoor unit wall bracket', 120, { unit: 'SET' }),
      m('PIPE-3M', '空调铜管连接管 3米', 'AC copper connection pipe 3 m', 260, { unit: 'SET' }),
      m('FAN-ODU', '空调室外风扇叶', 'outdoor unit fan blade', 95, { unit: 'EA' }),
      m('PCB-AC', '空调主控板', 'AC main control board', 480, { unit: 'EA' }),
      m('THERM-NTC', 'NTC温度传感器', 'NTC temperature sensor', 22, { unit: 'EA', multiple: 10, moq: 10 }),
    ],
  },
  {
    category: 'CONSUMABLES',
    models: [
      m('FLT-RO', '净水器RO反渗透滤芯', 'RO water purifier cartridge', 399, { unit: 'EA' }),
      m('FLT-PP', '净水器PP棉滤芯（3支装）', 'PP sediment cartridges (3-pack)', 99, { unit: 'PACK' }),
      m('CLN-AC', '空调清洗剂 500ml', 'AC coil cleaner 500 ml', 29, { unit: 'BOTTLE', multiple: 24, moq: 24 }),
      m('CLN-WM', '洗衣机槽清洁剂', 'washer drum cleaner', 19, { unit: 'BOX', multiple: 24, moq: 24 }),
      m('DESC-01', '电水壶除垢剂', 'kettle descaler', 15, { unit: 'BOX', multiple: 24, moq: 24 }),
      m('CUP-CXW', '油烟机油杯', 'range hood oil cup', 12, { unit: 'EA', multiple: 20, moq: 20 }),
      m('R32-10', 'R32冷媒 10公斤', 'R32 refrigerant 10 kg', 680, { unit: 'BOTTLE', vat: 1300 }),
      m('TAPE-AC', '空调包扎带', 'AC pipe wrapping tape', 8, { unit: 'ROLL', multiple: 50, moq: 50 }),
      m('SVC-CLEAN', '空调深度清洗服务券', 'AC deep-cleaning service voucher', 99, { unit: 'EA', vat: 600 }),
      m('BOOK-ENERGY', '节能家电选购指南（图书）', 'energy-saving appliance buyer’s guide (book)', 39, { unit: 'EA', vat: 900 }),
    ],
  },
];

export function demoProducts(): NewProduct[] {
  const products: NewProduct[] = [];
  let serial = 0;
  const barcode = () => gtinWithCheckDigit(`6923456${String((serial += 1)).padStart(5, '0')}`);
  for (const group of APPLIANCES) {
    for (const brand of group.brands) {
      for (const model of group.models) {
        products.push({
          sku: `${group.category === 'SMALL_APPLIANCE' ? 'SA' : group.category === 'REFRIGERATOR' ? 'RF' : group.category === 'WATER_HEATER' ? 'WH' : group.category.slice(0, 2)}-${brand.code}-${model.code}`,
          name: `${brand.zh} ${model.zh}`,
          nameEn: `${brand.en} ${model.en}`,
          category: group.category,
          unit: model.unit ?? 'UNIT',
          barcode: barcode(),
          vatRate: 1300,
          status: brand.code === 'AUX' && model.code === 'KFR26GW' ? 'discontinued' : 'active',
          ...(model.multiple ? { orderMultiple: model.multiple } : {}),
          ...(model.moq ? { minOrderQuantity: model.moq } : {}),
          listPrice: { amount: model.price * 100, currency: 'CNY' },
        });
      }
    }
  }
  for (const group of PARTS) {
    for (const model of group.models) {
      products.push({
        sku: `${group.category === 'PARTS' ? 'PT' : 'CS'}-${model.code}`,
        name: model.zh,
        nameEn: model.en,
        category: group.category,
        unit: model.unit ?? 'EA',
        barcode: barcode(),
        vatRate: model.vat ?? 1300,
        status: 'active',
        ...(model.multiple ? { orderMultiple: model.multiple } : {}),
        ...(model.moq ? { minOrderQuantity: model.moq } : {}),
        listPrice: { amount: model.price * 100, currency: 'CNY' },
      });
    }
  }
  return products;
}

/** Tier discounts off the list price, rounded to whole yuan. */
const TIER_FACTOR: Record<DealerTier, number> = { platinum: 0.85, gold: 0.88, silver: 0.92, bronze: 0.96 };
const TIER_NAME: Record<DealerTier, string> = { platinum: '铂金', gold: '金牌', silver: '银牌', bronze: '铜牌' };

const priceAt = (listFen: number, factor: number) => Math.round((listFen * factor) / 100) * 100;

export async function seedCatalog(world: DemoWorld): Promise<void> {
  const { products, pricing } = catalogRuntime();
  const catalogue = demoProducts();
  for (const product of catalogue) await products.create(seedContext(), product);
  const active = catalogue.filter((p) => p.status === 'active');

  for (const tier of Object.keys(TIER_FACTOR) as DealerTier[]) {
    await pricing.createPriceList(seedContext(), {
      name: `2026年度${TIER_NAME[tier]}经销商价目表`,
      tier,
      currency: 'CNY',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      allowAboveListPrice: false,
      lines: active.map((p) => ({ sku: p.sku, amount: priceAt(p.listPrice.amount, TIER_FACTOR[tier]), minQuantity: 1 })),
    });
  }
  // Next year's platinum list is already published: quotes dated 2027 show it.
  await pricing.createPriceList(seedContext(), {
    name: '2027年度铂金经销商价目表',
    tier: 'platinum',
    currency: 'CNY',
    validFrom: '2027-01-01',
    allowAboveListPrice: false,
    lines: active.map((p) => ({ sku: p.sku, amount: priceAt(p.listPrice.amount, 0.86), minQuantity: 1 })),
  });

  const onlineCategories = new Set(['SMALL_APPLIANCE', 'KITCHEN', 'CONSUMABLES']);
  await pricing.createPriceList(seedContext(), {
    name: '电商渠道统一供货价',
    channelType: 'e_commerce',
    currency: 'CNY',
    validFrom: '2026-07-01',
    allowAboveListPrice: false,
    lines: active.filter((p) => onlineCategories.has(p.category)).map((p) => ({ sku: p.sku, amount: priceAt(p.listPrice.amount, 0.87), minQuantity: 1 })),
  });
  const projectCategories = new Set(['AC', 'WATER_HEATER']);
  await pricing.createPriceList(seedContext(), {
    name: '工程渠道阶梯价（20台起、100台起）',
    channelType: 'project',
    currency: 'CNY',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    allowAboveListPrice: false,
    lines: active
      .filter((p) => projectCategories.has(p.category))
      .flatMap((p): PriceListLine[] => [
        { sku: p.sku, amount: priceAt(p.listPrice.amount, 0.9), minQuantity: 1 },
        { sku: p.sku, amount: priceAt(p.listPrice.amount, 0.84), minQuantity: 20 },
        { sku: p.sku, amount: priceAt(p.listPrice.amount, 0.8), minQuantity: 100 },
      ]),
  });

  // Special prices agreed with the first active dealers.
  const dealers = world.dealers.filter((d) => d.status === 'active').slice(0, 4);
  const specials: { sku: string; factor: number; note: string }[] = [
    { sku: 'AC-GREE-KFR35GW', factor: 0.8, note: '年度战略合作协议价（空调1.5匹）' },
    { sku: 'RF-HAIER-BCD520', factor: 0.82, note: '门店形象店支持价' },
    { sku: 'WA-LITTLESWAN-G100', factor: 0.83, note: '区域独家代理协议价' },
    { sku: 'KI-FOTILE-CXW', factor: 0.81, note: '精装修项目配套价' },
  ];
  for (const [i, dealer] of dealers.entries()) {
    const deal = specials[i % specials.length]!;
    const product = catalogue.find((p) => p.sku === deal.sku)!;
    await pricing.createSpecialPrice(seedContext(), {
      dealerId: dealer.id,
      sku: deal.sku,
      amount: priceAt(product.listPrice.amount, deal.factor),
      currency: 'CNY',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      allowAboveListPrice: false,
      note: deal.note,
    });
  }

  await pricing.createPromotion(seedContext(), {
    name: '双十一小家电狂欢 9折',
    discount: { kind: 'percent', basisPoints: 1000 },
    skus: [],
    categories: ['SMALL_APPLIANCE'],
    tiers: [],
    channelTypes: [],
    validFrom: '2026-11-01',
    validTo: '2026-11-30',
  });
  await pricing.createPromotion(seedContext(), {
    name: '冬季采暖节 热水器每台立减300元（金牌及以上）',
    discount: { kind: 'amount', amount: 30_000, currency: 'CNY' },
    skus: [],
    categories: ['WATER_HEATER'],
    tiers: ['platinum', 'gold'],
    channelTypes: [],
    validFrom: '2026-11-15',
    validTo: '2027-01-15',
  });
  await pricing.createPromotion(seedContext(), {
    name: '年终冲量 空调20台起再降3%',
    discount: { kind: 'percent', basisPoints: 300 },
    skus: [],
    categories: ['AC'],
    tiers: [],
    channelTypes: ['distributor', 'project'],
    minQuantity: 20,
    validFrom: '2026-12-01',
    validTo: '2026-12-31',
  });
  await pricing.createPromotion(seedContext(), {
    name: '配件清库 空调遥控器8折',
    discount: { kind: 'percent', basisPoints: 2000 },
    skus: ['PT-RC-AC-01'],
    categories: [],
    tiers: [],
    channelTypes: [],
    validFrom: '2026-10-01',
    validTo: '2027-03-31',
  });
}
