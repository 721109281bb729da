import type { EntityManager } from 'typeorm';
import type { FieldCipher } from '../../common/crypto/field-cipher';
import { partnerMobileField } from '../../common/crypto/stored-fields';
import type { MenuCategory } from '../../modules/menu/menu.enums';
import type { PartnerStatus, SelfRegisteredKind } from '../../modules/partners/partner.enums';
import { creditCodeCheckChar } from '../../modules/partners/rules/credit-code.rule';
import type { DemoOrgTree, DemoOrgUnitKey } from './org-tree.seed';

/** The demo partner organisation (an approved company managed by 西湖区总工会), created before its account. */
export const DEMO_PARTNER_ID = '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b01';

/** Ids of the demo partners that have demo accounts (README lists them). */
export const DEMO_PARTNER_IDS = {
  company: DEMO_PARTNER_ID,
  employmentBureau: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b02',
  charity: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b05',
  volunteers: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b11',
  suspendedPharmacy: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b10',
} as const;

interface DemoPartner {
  id: string;
  kind: SelfRegisteredKind;
  name: string;
  /** The first 17 characters of the 统一社会信用代码; the check character is computed (GB 32100). */
  creditCode17: string | null;
  unit: DemoOrgUnitKey;
  contactName: string;
  mobile: string;
  regionCodes: string[];
  categories: MenuCategory[];
  status: PartnerStatus;
  statusReason?: string;
}

/**
 * The demo partner organisations (帮扶力量): every self-registered kind, vetted by the demo district and
 * city unions, most approved, two waiting for vetting, one rejected and one suspended. The `union`
 * partners are not here: every org unit has its own, made by the database with the unit. Names of
 * companies are placeholders ("某某"); credit codes carry valid check characters; mobiles are synthetic.
 */
export const DEMO_PARTNERS: readonly DemoPartner[] = [
  {
    id: DEMO_PARTNER_IDS.company,
    kind: 'company',
    name: '杭州西湖爱心企业（演示）',
    creditCode17: '91330106MA2BF0001',
    unit: 'xihu',
    contactName: '爱心企业联络人',
    mobile: '13700000001',
    regionCodes: ['330106'],
    categories: ['training', 'employment', 'donation'],
    status: 'approved',
  },
  {
    id: DEMO_PARTNER_IDS.employmentBureau,
    kind: 'government',
    name: '杭州市西湖区人力资源和社会保障局就业服务中心',
    creditCode17: '11330106002500017',
    unit: 'xihu',
    contactName: '周科长',
    mobile: '13700000002',
    regionCodes: ['330106'],
    categories: ['training', 'employment', 'policy'],
    status: 'approved',
  },
  {
    id: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b03',
    kind: 'government',
    name: '杭州市拱墅区民政局社会救助科',
    creditCode17: '11330105002500025',
    unit: 'gongshu',
    contactName: '钱科长',
    mobile: '13700000003',
    regionCodes: ['330105'],
    categories: ['relief', 'donation'],
    status: 'approved',
  },
  {
    id: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b04',
    kind: 'government',
    name: '宁波市鄞州区司法局法律援助中心',
    creditCode17: '11330212002500033',
    unit: 'yinzhou',
    contactName: '孙主任',
    mobile: '13700000004',
    regionCodes: ['330212'],
    categories: ['legal', 'policy'],
    status: 'approved',
  },
  {
    id: DEMO_PARTNER_IDS.charity,
    kind: 'ngo',
    name: '杭州市慈善总会',
    creditCode17: '51330100MJ0000014',
    unit: 'hangzhou',
    contactName: '吴秘书',
    mobile: '13700000005',
    regionCodes: ['330100'],
    categories: ['donation', 'tuition', 'medical', 'relief'],
    status: 'approved',
  },
  {
    id: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b06',
    kind: 'ngo',
    name: '宁波市海曙区阳光社会工作服务中心',
    creditCode17: '52330203MJ0000022',
    unit: 'haishu',
    contactName: '郑社工',
    mobile: '13700000006',
    regionCodes: ['330203'],
    categories: ['counseling', 'care'],
    status: 'approved',
  },
  {
    id: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b07',
    kind: 'ngo',
    name: '杭州市心理咨询师协会',
    creditCode17: '51330100MJ0000030',
    unit: 'hangzhou',
    contactName: '王会长',
    mobile: '13700000007',
    regionCodes: ['330100'],
    categories: ['counseling'],
    status: 'pending',
  },
  {
    id: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b08',
    kind: 'company',
    name: '宁波某某电器股份有限公司',
    creditCode17: '91330212MA2C00011',
    unit: 'yinzhou',
    contactName: '冯经理',
    mobile: '13700000008',
    regionCodes: ['330212', '330203'],
    categories: ['employment', 'donation'],
    status: 'approved',
  },
  {
    id: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b09',
    kind: 'company',
    name: '杭州某某职业技能培训学校有限公司',
    creditCode17: '91330105MA2C00029',
    unit: 'gongshu',
    contactName: '陈校长',
    mobile: '13700000009',
    regionCodes: ['330105', '330106'],
    categories: ['training'],
    status: 'approved',
  },
  {
    id: DEMO_PARTNER_IDS.suspendedPharmacy,
    kind: 'company',
    name: '杭州某某医药连锁有限公司',
    creditCode17: '91330106MA2C00037',
    unit: 'xihu',
    contactName: '褚店长',
    mobile: '13700000010',
    regionCodes: ['330106'],
    categories: ['medical', 'donation'],
    status: 'suspended',
    statusReason: '爱心药品发放记录与实际发放不符，暂停合作待核查',
  },
  {
    id: DEMO_PARTNER_IDS.volunteers,
    kind: 'volunteer',
    name: '西湖区“红马甲”志愿服务队',
    creditCode17: null,
    unit: 'xihu',
    contactName: '卫队长',
    mobile: '13700000011',
    regionCodes: ['330106'],
    categories: ['care', 'counseling'],
    status: 'approved',
  },
  {
    id: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b12',
    kind: 'volunteer',
    name: '鄞州区银发助老志愿服务队',
    creditCode17: null,
    unit: 'yinzhou',
    contactName: '蒋队长',
    mobile: '13700000012',
    regionCodes: ['330212'],
    categories: ['care'],
    status: 'pending',
  },
  {
    id: '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b13',
    kind: 'company',
    name: '宁波某某网络科技有限公司',
    creditCode17: '91330203MA2C00045',
    unit: 'haishu',
    contactName: '沈经理',
    mobile: '13700000013',
    regionCodes: ['330203'],
    categories: ['training'],
    status: 'rejected',
    statusReason: '营业执照经营范围与所报帮扶服务不符',
  },
];

/** Inserts the demo partners that do not exist yet (by id); returns how many it inserted. */
export async function seedDemoPartners(
  manager: EntityManager,
  tree: DemoOrgTree,
  deps: { cipher: FieldCipher; now: Date },
): Promise<number> {
  let inserted = 0;
  for (const p of DEMO_PARTNERS) {
    const vetted = p.status !== 'pending';
    const rows: unknown[] = await manager.query(
      `INSERT INTO partners (id, kind, name, credit_code, org_unit_id, contact_name, mobile_ciphertext,
                             mobile_blind_index, region_codes, categories, status, status_reason, reviewed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [
        p.id,
        p.kind,
        p.name,
        p.creditCode17 === null ? null : p.creditCode17 + creditCodeCheckChar(p.creditCode17),
        tree[p.unit].id,
        p.contactName,
        deps.cipher.encrypt(p.mobile, partnerMobileField(p.id)),
        deps.cipher.blindIndex(p.mobile, 'phone'),
        p.regionCodes,
        p.categories,
        p.status,
        p.statusReason ?? null,
        vetted ? deps.now : null,
      ],
    );
    inserted += rows.length;
  }
  return inserted;
}
