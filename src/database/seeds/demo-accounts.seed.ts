import { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { FieldCipher } from '../../common/crypto/field-cipher';
import { userPhoneField } from '../../common/crypto/stored-fields';
import type { AccountKind, StaffRole } from '../../modules/auth/principal';
import { UserEntity } from '../../modules/users/user.entity';
import { DEMO_PARTNER_IDS } from './demo-partners.seed';
import type { DemoOrgTree, DemoOrgUnitKey } from './org-tree.seed';

/** The demo password of every demo account (README lists the accounts). Never seeded in production. */
export const DEMO_PASSWORD = 'Bangfu@2026';

interface DemoAccount {
  username: string;
  displayName: string;
  kind: AccountKind;
  roles: StaffRole[];
  unit: DemoOrgUnitKey;
  phone: string;
  partnerId?: string;
}

/** One account per role, placed where that role works in the identification workflow. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    username: 'zj.admin',
    displayName: '省总系统管理员',
    kind: 'staff',
    roles: ['admin'],
    unit: 'zhejiang',
    phone: '13900000001',
  },
  {
    username: 'zj.auditor',
    displayName: '省总审计员',
    kind: 'staff',
    roles: ['auditor'],
    unit: 'zhejiang',
    phone: '13900000002',
  },
  {
    username: 'hz.approver',
    displayName: '杭州市总审批员',
    kind: 'staff',
    roles: ['approver'],
    unit: 'hangzhou',
    phone: '13900000003',
  },
  {
    username: 'xh.admin',
    displayName: '西湖区总系统管理员',
    kind: 'staff',
    roles: ['admin'],
    unit: 'xihu',
    phone: '13900000004',
  },
  {
    username: 'xh.reviewer',
    displayName: '西湖区总复核员',
    kind: 'staff',
    roles: ['reviewer'],
    unit: 'xihu',
    phone: '13900000005',
  },
  {
    username: 'xh.approver',
    displayName: '西湖区总审批员',
    kind: 'staff',
    roles: ['approver'],
    unit: 'xihu',
    phone: '13900000006',
  },
  {
    username: 'xh.archivist',
    displayName: '西湖区总档案管理员',
    kind: 'staff',
    roles: ['archivist'],
    unit: 'xihu',
    phone: '13900000007',
  },
  {
    // Runs the city federation's own programmes and follows matches through for the unions below it
    // that have no demo caseworker of their own.
    username: 'hz.caseworker',
    displayName: '杭州市总帮扶经办人',
    kind: 'staff',
    roles: ['caseworker'],
    unit: 'hangzhou',
    phone: '13900000010',
  },
  {
    username: 'gr1.caseworker',
    displayName: '基层工会经办人',
    kind: 'staff',
    roles: ['caseworker'],
    unit: 'xihu-gr-1',
    phone: '13900000008',
  },
  {
    username: 'gr1.reviewer',
    displayName: '基层工会审核员',
    kind: 'staff',
    roles: ['reviewer'],
    unit: 'xihu-gr-1',
    phone: '13900000009',
  },
  {
    username: 'worker.zhangwei',
    displayName: '张伟',
    kind: 'worker',
    roles: [],
    unit: 'xihu-gr-1',
    phone: '13800000001',
  },
  {
    username: 'worker.lina',
    displayName: '李娜',
    kind: 'worker',
    roles: [],
    unit: 'xihu-gr-2',
    phone: '13800000002',
  },
  {
    username: 'partner.demo',
    displayName: '爱心企业联络人',
    kind: 'partner',
    roles: [],
    unit: 'xihu',
    phone: '13700000001',
    partnerId: DEMO_PARTNER_IDS.company,
  },
  {
    username: 'partner.rsj',
    displayName: '就业服务中心联络人',
    kind: 'partner',
    roles: [],
    unit: 'xihu',
    phone: '13700000002',
    partnerId: DEMO_PARTNER_IDS.employmentBureau,
  },
  {
    username: 'partner.cishan',
    displayName: '慈善总会联络人',
    kind: 'partner',
    roles: [],
    unit: 'hangzhou',
    phone: '13700000005',
    partnerId: DEMO_PARTNER_IDS.charity,
  },
  {
    username: 'partner.hongmajia',
    displayName: '志愿服务队队长',
    kind: 'partner',
    roles: [],
    unit: 'xihu',
    phone: '13700000011',
    partnerId: DEMO_PARTNER_IDS.volunteers,
  },
  {
    username: 'partner.suspended',
    displayName: '医药连锁店长',
    kind: 'partner',
    roles: [],
    unit: 'xihu',
    phone: '13700000010',
    partnerId: DEMO_PARTNER_IDS.suspendedPharmacy,
  },
];

/**
 * Creates the demo accounts that do not exist yet; returns the usernames it created. The partner
 * accounts need their organisations: seed the demo partners first (seedDemoPartners).
 */
export async function seedDemoAccounts(
  manager: EntityManager,
  tree: DemoOrgTree,
  deps: { hash: (password: string) => Promise<string>; cipher: FieldCipher; now: Date },
): Promise<string[]> {
  const repository = manager.getRepository(UserEntity);
  const passwordHash = await deps.hash(DEMO_PASSWORD);
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    if (await repository.existsBy({ username: account.username })) continue;
    const id = randomUUID();
    await repository.insert({
      id,
      username: account.username,
      displayName: account.displayName,
      kind: account.kind,
      roles: account.roles,
      orgUnitId: tree[account.unit].id,
      partnerId: account.partnerId ?? null,
      phoneCiphertext: deps.cipher.encrypt(account.phone, userPhoneField(id)),
      phoneBlindIndex: deps.cipher.blindIndex(account.phone, 'phone'),
      passwordHash,
      passwordChangedAt: deps.now,
      mustChangePassword: false,
    });
    created.push(account.username);
  }
  return created;
}
