import type { NewDealer } from '../../domain/dealers/dealer';
import type { Region } from '../../domain/dealers/ports';
import { usccCheckCharacter } from '../../domain/dealers/uscc';
import { BUILT_IN_ROLE_NAMES } from '../../domain/access/roles';
import type { TokenRequest } from './jwt';

export const DEMO_REGIONS: Region[] = [
  { code: 'CN-EAST', name: '华东大区', nameEn: 'East China' },
  { code: 'CN-NORTH', name: '华北大区', nameEn: 'North China' },
  { code: 'CN-SOUTH', name: '华南大区', nameEn: 'South China' },
  { code: 'CN-CENTRAL', name: '华中大区', nameEn: 'Central China' },
  { code: 'CN-WEST', name: '西部大区', nameEn: 'West China' },
  { code: 'CN-NE', name: '东北大区', nameEn: 'Northeast China' },
];

/** Cities per region with their province and administrative division code (for credit codes). */
const CITIES: Record<string, { city: string; province: string; division: string; postal: string; area: string }[]> = {
  'CN-EAST': [
    { city: '上海', province: '上海市', division: '310115', postal: '200120', area: '021' },
    { city: '杭州', province: '浙江省', division: '330106', postal: '310012', area: '0571' },
    { city: '南京', province: '江苏省', division: '320106', postal: '210008', area: '025' },
    { city: '苏州', province: '江苏省', division: '320505', postal: '215011', area: '0512' },
    { city: '合肥', province: '安徽省', division: '340104', postal: '230031', area: '0551' },
  ],
  'CN-NORTH': [
    { city: '北京', province: '北京市', division: '110105', postal: '100020', area: '010' },
    { city: '天津', province: '天津市', division: '120103', postal: '300201', area: '022' },
    { city: '石家庄', province: '河北省', division: '130102', postal: '050011', area: '0311' },
    { city: '济南', province: '山东省', division: '370102', postal: '250013', area: '0531' },
  ],
  'CN-SOUTH': [
    { city: '广州', province: '广东省', division: '440106', postal: '510630', area: '020' },
    { city: '深圳', province: '广东省', division: '440305', postal: '518057', area: '0755' },
    { city: '厦门', province: '福建省', division: '350203', postal: '361001', area: '0592' },
    { city: '南宁', province: '广西壮族自治区', division: '450103', postal: '530022', area: '0771' },
  ],
  'CN-CENTRAL': [
    { city: '武汉', province: '湖北省', division: '420106', postal: '430071', area: '027' },
    { city: '长沙', province: '湖南省', division: '430103', postal: '410011', area: '0731' },
    { city: '郑州', province: '河南省', division: '410105', postal: '450008', area: '0371' },
  ],
  'CN-WEST': [
    { city: '成都', province: '四川省', division: '510107', postal: '610041', area: '028' },
    { city: '重庆', province: '重庆市', division: '500103', postal: '400010', area: '023' },
    { city: '西安', province: '陕西省', division: '610113', postal: '710065', area: '029' },
    { city: '昆明', province: '云南省', division: '530102', postal: '650011', area: '0871' },
  ],
  'CN-NE': [
    { city: '沈阳', province: '辽宁省', division: '210102', postal: '110001', area: '024' },
    { city: '大连', province: '辽宁省', division: '210204', postal: '116021', area: '0411' },
    { city: '哈尔滨', province: '黑龙江省', division: '230103', postal: '150001', area: '0451' },
  ],
};

const TRADE_NAMES = ['恒通', '华盛', '鑫源', '瑞丰', '宏达', '永泰', '德信', '金诚', '远航', '安邦', '万顺', '博远', '新亚', '中联', '同创', '佳禾', '广汇', '天润'];
const NAME_SUFFIX: Record<NewDealer['channelType'], string> = {
  distributor: '商贸有限公司',
  retailer: '零售连锁有限公司',
  e_commerce: '电子商务有限公司',
  project: '工程设备有限公司',
  service_center: '技术服务有限公司',
};
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '军', '杰', '娟', '涛', '明', '超', '霞', '平'];
const STREETS = ['人民路', '解放大道', '中山路', '建设路', '长江路', '和平街', '新华路', '东风路'];
const TIERS: NewDealer['tier'][] = ['platinum', 'gold', 'gold', 'silver', 'silver', 'silver', 'bronze', 'bronze'];
const CHANNELS: NewDealer['channelType'][] = ['distributor', 'distributor', 'retailer', 'e_commerce', 'project', 'service_center'];
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Deterministic pseudo-random numbers, so every fresh twin shows the same demo data. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function demoUscc(division: string, random: () => number): string {
  let org = '';
  for (let i = 0; i < 9; i += 1) org += USCC_CHARS[Math.floor(random() * 10)]; // digits: like most real org codes
  const first17 = `91${division}${org}`;
  return first17 + usccCheckCharacter(first17);
}

export interface DemoDealer {
  input: NewDealer;
  /** Status the demo moves it to after registration (prospects stay as they are). */
  status: 'prospect' | 'active' | 'suspended' | 'terminated';
}

export function demoDealers(count = 50): DemoDealer[] {
  const random = seededRandom(20261127);
  const regionCodes = DEMO_REGIONS.map((r) => r.code);
  const dealers: DemoDealer[] = [];
  const usedNames = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const region = regionCodes[i % regionCodes.length]!;
    const cities = CITIES[region]!;
    const place = cities[Math.floor(random() * cities.length)]!;
    const channelType = CHANNELS[Math.floor(random() * CHANNELS.length)]!;
    const pickTrade = () => TRADE_NAMES[Math.floor(random() * TRADE_NAMES.length)]!;
    let name = `${place.city}${pickTrade()}${NAME_SUFFIX[channelType]}`;
    for (let attempt = 0; usedNames.has(name); attempt += 1) {
      name = attempt < 5 ? `${place.city}${pickTrade()}${NAME_SUFFIX[channelType]}` : `${place.city}${pickTrade()}${pickTrade()}${NAME_SUFFIX[channelType]}`;
    }
    usedNames.add(name);
    const person = () => `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}`;
    const mobile = () => `1${[3, 5, 8][Math.floor(random() * 3)]}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
    const street = `${place.city}市${STREETS[Math.floor(random() * STREETS.length)]}${1 + Math.floor(random() * 300)}号`;
    const manager = person();
    const input: NewDealer = {
      code: `D${region.slice(3, 5)}${String(i + 1).padStart(4, '0')}`,
      name,
      shortName: name.slice(0, name.length - NAME_SUFFIX[channelType].length + 2),
      uscc: demoUscc(place.division, random),
      tier: TIERS[Math.floor(random() * TIERS.length)]!,
      channelType,
      region,
      contacts: [
        { name: manager, title: '总经理', mobile: mobile(), email: `gm${i + 1}@dealer${i + 1}.example.cn`, primary: true },
        { name: person(), title: '采购经理', mobile: mobile(), primary: false },
      ],
      addresses: [
        { type: 'billing', province: place.province, city: place.city, street, postalCode: place.postal, isDefault: true },
        { type: 'shipping', province: place.province, city: place.city, street: `${street}仓库`, postalCode: place.postal, recipient: manager, phone: `${place.area}-${String(60000000 + Math.floor(random() * 9999999))}`, isDefault: true },
      ],
      internalNotes: i % 7 === 0 ? '回款偶有延迟，关注账期。' : undefined,
      riskRating: i % 7 === 0 ? 'medium' : 'low',
    };
    if (input.internalNotes === undefined) delete input.internalNotes;
    const status = i < 3 ? 'prospect' : i === 47 ? 'suspended' : i === 48 ? 'terminated' : 'active';
    dealers.push({ input, status });
  }
  return dealers;
}

/** One demo user per built-in role; dealer users belong to the first active demo dealer. */
export function demoUsers(firstActiveDealerId: string): TokenRequest[] {
  return BUILT_IN_ROLE_NAMES.map((role) => {
    const user: TokenRequest = { userId: `demo-${role.replace(/_/g, '-')}`, username: `demo.${role}`, roles: [role] };
    if (role === 'sales_manager') user.regions = ['CN-EAST'];
    if (role === 'dealer_admin' || role === 'dealer_user') user.dealerId = firstActiveDealerId;
    return user;
  });
}
