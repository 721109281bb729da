import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { partnerMobileField } from '../../../src/common/crypto/stored-fields';
import type { MenuCategory } from '../../../src/modules/menu/menu.enums';
import type { PartnerKind, PartnerStatus } from '../../../src/modules/partners/partner.enums';
import {
  CREDIT_CODE_CHARSET,
  creditCodeCheckChar,
} from '../../../src/modules/partners/rules/credit-code.rule';

export interface PartnerRow {
  id: string;
  kind: PartnerKind;
  name: string;
  creditCode: string | null;
  orgUnitId: string;
  status: PartnerStatus;
}

export interface PartnerOverrides {
  id?: string;
  kind?: Exclude<PartnerKind, 'union'>;
  name?: string;
  /** Defaults to a fresh valid code (null for volunteer teams); `null` for none. */
  creditCode?: string | null;
  status?: PartnerStatus;
  mobile?: string;
  contactName?: string;
  regionCodes?: string[];
  categories?: MenuCategory[];
}

/** A fresh, valid (GB 32100 check character) unified social credit code; random, so unique per call. */
export function randomCreditCode(): string {
  const bytes = randomBytes(9);
  const body = [...bytes].map((b) => CREDIT_CODE_CHARSET[b % 31]).join('');
  const first17 = `91330106${body}`;
  return first17 + creditCodeCheckChar(first17);
}

/** A partner organisation of `orgUnitId` (approved company by default), inserted through SQL. */
export async function createPartner(
  dataSource: DataSource,
  cipher: FieldCipher,
  orgUnitId: string,
  overrides: PartnerOverrides = {},
): Promise<PartnerRow> {
  const id = overrides.id ?? randomUUID();
  const kind = overrides.kind ?? 'company';
  const creditCode =
    overrides.creditCode !== undefined
      ? overrides.creditCode
      : kind === 'volunteer'
        ? null
        : randomCreditCode();
  const name = overrides.name ?? `测试爱心企业-${randomBytes(3).toString('hex')}`;
  const status = overrides.status ?? 'approved';
  const mobile = overrides.mobile ?? '13800002210';
  await dataSource.query(
    `INSERT INTO partners (id, kind, name, credit_code, org_unit_id, contact_name, mobile_ciphertext,
                           mobile_blind_index, region_codes, categories, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      kind,
      name,
      creditCode,
      orgUnitId,
      overrides.contactName ?? '王联络',
      cipher.encrypt(mobile, partnerMobileField(id)),
      cipher.blindIndex(mobile, 'phone'),
      overrides.regionCodes ?? ['330106'],
      overrides.categories ?? ['training', 'employment'],
      status,
    ],
  );
  return { id, kind, name, creditCode, orgUnitId, status };
}

/** The `union` partner the database created with the unit. */
export async function unionPartnerOf(dataSource: DataSource, orgUnitId: string): Promise<PartnerRow> {
  const rows: PartnerRow[] = await dataSource.query(
    `SELECT id, kind, name, credit_code AS "creditCode", org_unit_id AS "orgUnitId", status
       FROM partners WHERE org_unit_id = $1 AND kind = 'union'`,
    [orgUnitId],
  );
  if (!rows[0]) throw new Error(`no union partner for unit ${orgUnitId}`);
  return rows[0];
}
