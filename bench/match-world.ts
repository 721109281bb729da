/**
 * The world the match benchmarks (approvals.bench.ts) work in, on the scratch database: the demo seed's
 * tree, menu, 低保 lines and accounts, then households, open needs and published offers of the shared
 * synthetic generator (src/database/seeds/synthetic/) inserted in bulk under 西湖区, and two bench staff
 * accounts of 西湖区: a caseworker who proposes and runs plans, and a reviewer-approver (TOTP enrolled,
 * as its role requires) who approves. Each call adds households of its own, so the benchmarks never
 * share a household (the aid ledger's rules judge per household).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { chinaToday } from '../src/common/calendar/china-calendar';
import { Clock } from '../src/common/clock/clock';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import {
  archiveField,
  offerContactPhoneField,
  totpSecretField,
  userPhoneField,
} from '../src/common/crypto/stored-fields';
import { makeIdNumber } from '../src/common/validation';
import type { AppConfig } from '../src/config';
import { fieldCipherOptionsFrom } from '../src/config/crypto-config.check';
import { DEMO_PASSWORD } from '../src/database/seeds/demo-accounts.seed';
import { Random } from '../src/database/seeds/demo-random';
import { seedDemo } from '../src/database/seeds/seed-demo';
import { type MenuItemInfo, type SyntheticOffer } from '../src/database/seeds/synthetic/synthetic-offers';
import {
  employmentFor,
  generateHouseholds,
  type HouseholdProfile,
  type World,
  type WorldLevel,
} from '../src/database/seeds/synthetic/synthetic-world';
import { base32Encode } from '../src/modules/auth/totp/base32';
import { generateTotpSecret, totpAt } from '../src/modules/auth/totp/totp';
import { PasswordHasher } from '../src/modules/users/password/password-hasher';
import { UserEntity } from '../src/modules/users/user.entity';

export const API = '/api/v1';
const DAY_MS = 86_400_000;

export interface MatchWorld {
  dataSource: DataSource;
  cipher: FieldCipher;
  /** 西湖区总工会: the scope of the plans. */
  district: { id: string; path: string };
  /** The synthetic generator's view of 杭州市 > 西湖区 > its grassroots unions, with database ids. */
  world: World;
  items: Array<MenuItemInfo & { id: string; name: string }>;
  proposer: BenchUser;
  approver: BenchUser;
  today: string;
  now: Date;
}

export interface BenchUser {
  id: string;
  username: string;
  totpSecret: Buffer | null;
}

let worlds = 0;

/** The demo seed (idempotent), the world read back, and two bench accounts of its own. */
export async function prepareMatchWorld(dataSource: DataSource, config: AppConfig): Promise<MatchWorld> {
  const hasher = new PasswordHasher(config);
  const cipher = new FieldCipher(fieldCipherOptionsFrom(config.crypto));
  const now = new Clock().now();
  await seedDemo(dataSource, config, { hash: (p) => hasher.hash(p), cipher, now });
  const units: Array<{
    id: string;
    name: string;
    level: WorldLevel;
    parent_id: string | null;
    region_code: string;
    path: string;
  }> = await dataSource.query(
    `SELECT u.id, u.name, u.level, u.parent_id, u.region_code, u.path FROM org_units u
      WHERE u.name = '杭州市总工会'
         OR starts_with(u.path, (SELECT path FROM org_units WHERE name = '杭州市西湖区总工会'))
      ORDER BY u.path`,
  );
  const city = units.find((u) => u.level === 'city');
  const district = units.find((u) => u.level === 'district');
  if (!city || !district) throw new Error('演示组织树中没有杭州市/西湖区');
  const world: World = {
    units: units
      .filter((u) => ['city', 'district', 'grassroots'].includes(u.level))
      .map((u) => ({
        id: u.id,
        name: u.name,
        level: u.level,
        parentId: u.level === 'city' ? null : u.level === 'district' ? city.id : u.parent_id,
        regionCode: u.region_code,
        migrantHeavy: false,
      })),
  };
  const items = await dataSource.query(
    `SELECT id, code, name, category, unit FROM menu_items WHERE active ORDER BY sort_order, code`,
  );
  const passwordHash = await hasher.hash(DEMO_PASSWORD);
  const user = async (username: string, roles: string[], totp: boolean): Promise<BenchUser> => {
    const existing = await dataSource.getRepository(UserEntity).findOneBy({ username });
    if (existing) throw new Error(`bench account ${username} exists already`);
    const id = randomUUID();
    const phone = `1391100${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    await dataSource.getRepository(UserEntity).insert({
      id,
      username,
      displayName: `压测${roles.includes('approver') ? '审批员' : '经办人'}`,
      kind: 'staff',
      roles: roles as UserEntity['roles'],
      orgUnitId: district.id,
      partnerId: null,
      phoneCiphertext: cipher.encrypt(phone, userPhoneField(id)),
      phoneBlindIndex: cipher.blindIndex(phone, 'phone'),
      passwordHash,
      passwordChangedAt: now,
      mustChangePassword: false,
    });
    let totpSecret: Buffer | null = null;
    if (totp) {
      totpSecret = generateTotpSecret();
      await dataSource.query(
        `UPDATE users SET totp_secret_ciphertext = $2, totp_enabled_at = now() WHERE id = $1`,
        [id, cipher.encrypt(base32Encode(totpSecret), totpSecretField(id))],
      );
    }
    return { id, username, totpSecret };
  };
  const tag = `${process.pid.toString(36)}${++worlds}`;
  return {
    dataSource,
    cipher,
    district: { id: district.id, path: district.path },
    world,
    items,
    proposer: await user(`bench.cw.${tag}`, ['caseworker'], false),
    // Reviewer and approver: cash above the configured amount needs an approver (TOTP, as the role requires).
    approver: await user(`bench.ap.${tag}`, ['reviewer', 'approver'], true),
    today: chinaToday(now),
    now,
  };
}

/**
 * `count` active households of the generator's profiles in the world's grassroots unions, each with one
 * open need: of `itemCode` if given, else of an item its primary cause calls for (generateNeeds' rule).
 * Returns the needs (id, archive, item) in insertion order.
 */
export async function insertHouseholdsWithNeeds(
  w: MatchWorld,
  random: Random,
  count: number,
  options: {
    itemCode?: string;
    pickItem?: (profile: HouseholdProfile) => MenuItemInfo & { id: string };
  } = {},
): Promise<Array<{ needId: string; archiveId: string; itemId: string }>> {
  const year = Number(w.today.slice(0, 4));
  const profiles = generateHouseholds(random, w.world, count, year);
  const regionOf = new Map(w.world.units.map((u) => [u.id, u.regionCode]));
  const archiveIds = profiles.map(() => randomUUID());
  const rows = profiles.map((p, i) => {
    const id = archiveIds[i]!;
    const gender: 'male' | 'female' = random.chance(0.6) ? 'male' : 'female';
    const birthDate = `${p.headBirthYear}-0${random.int(1, 9)}-1${random.int(0, 9)}`;
    const regionCode = regionOf.get(p.unitId)!;
    const idNumber = makeIdNumber({
      regionCode,
      birthDate,
      sequence: (i % 499) * 2 + (gender === 'male' ? 1 : 2),
      gender,
    });
    const age = year - p.headBirthYear;
    return {
      id,
      unit: p.unitId,
      kind: p.kind,
      category: p.category,
      causes: p.causes,
      primaryCause: p.primaryCause,
      birthDate,
      gender,
      employment: employmentFor(random, p, age, gender === 'male' ? 60 : 50),
      regionCode,
      idCipher: w.cipher.encrypt(idNumber, archiveField({ id }, 'head_id_number_ciphertext')),
      idIndex: w.cipher.blindIndex(idNumber, 'id_number'),
      archiveNo: `${regionCode}-${year}-b${id.slice(0, 7)}`,
    };
  });
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await w.dataSource.query(
    `INSERT INTO archives (id, archive_no, kind, category, status, org_unit_id, head_name, head_id_number_ciphertext,
                           head_id_number_blind_index, head_birth_date, head_gender, employment_status, region_code,
                           causes, primary_cause, household_size, monthly_income_fen, per_capita_income_fen,
                           activated_at, created_by, version)
     SELECT t.id, t.no, t.kind, t.category, 'active', t.unit, '压测职工', t.idc, t.idx, t.birth, t.gender, t.emp, t.region,
            string_to_array(t.causes, ',')::varchar[], t.primary_cause, 2, 160000, 80000, now() - interval '200 days',
            $14, 1
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::date[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         AS t(id, no, kind, category, unit, idc, idx, birth, gender, emp, region, causes, primary_cause)`,
    [
      col((r) => r.id),
      col((r) => r.archiveNo),
      col((r) => r.kind),
      col((r) => r.category),
      col((r) => r.unit),
      col((r) => r.idCipher),
      col((r) => r.idIndex),
      col((r) => r.birthDate),
      col((r) => r.gender),
      col((r) => r.employment),
      col((r) => r.regionCode),
      col((r) => r.causes.join(',')),
      col((r) => r.primaryCause),
      w.proposer.id,
    ],
  );
  const itemOf = (p: HouseholdProfile) => {
    if (options.itemCode) return w.items.find((i) => i.code === options.itemCode)!;
    return options.pickItem!(p);
  };
  const needItems = profiles.map((p) => itemOf(p));
  const openedAt = profiles.map(() => new Date(w.now.getTime() - random.int(1, 40) * DAY_MS));
  const needIds: string[] = (
    await w.dataSource.query(
      `INSERT INTO needs (archive_id, menu_item_id, beneficiary_key, quantity, urgency, preferred_mode, region_code,
                          contact_preference, state, created_by, state_changed_at, version)
       SELECT t.archive, t.item, 'head', 1, 'normal', 'any', t.region, 'phone', 'submitted', $4, now(), 1
         FROM unnest($1::uuid[], $2::uuid[], $3::text[]) WITH ORDINALITY AS t(archive, item, region, i)
        ORDER BY t.i
       RETURNING id`,
      [archiveIds, needItems.map((i) => i.id), col((r) => r.regionCode), w.proposer.id],
    )
  ).map((r: { id: string }) => r.id);
  // Along the needs' state machine (the transition trigger checks each move): screening, then open.
  await w.dataSource.query(`UPDATE needs SET state = 'screening', version = 2 WHERE id = ANY($1)`, [needIds]);
  await w.dataSource.query(
    `UPDATE needs n SET state = 'open', version = 3, opened_at = t.opened, expires_at = t.opened + interval '90 days'
       FROM unnest($1::uuid[], $2::timestamptz[]) AS t(id, opened) WHERE n.id = t.id`,
    [needIds, openedAt],
  );
  return needIds.map((needId, i) => ({ needId, archiveId: archiveIds[i]!, itemId: needItems[i]!.id }));
}

/** Offers (as drafts, then along the state machine to published); returns their ids in order. */
export async function insertOffers(
  w: MatchWorld,
  partnerIds: readonly string[],
  offers: readonly SyntheticOffer[],
): Promise<string[]> {
  const ids = offers.map(() => randomUUID());
  const column = <T>(f: (o: SyntheticOffer, i: number) => T) => offers.map(f);
  await w.dataSource.query(
    `INSERT INTO offers (id, partner_id, title, description, kind, capacity, amount_per_beneficiary_fen, reserved,
                         used, remaining, elig_categories, elig_causes, elig_employment, age_min, age_max,
                         income_factor, requires_active_archive, scope_org_unit_id, scope_region_prefix, online,
                         region_code, valid_from, valid_until, per_household_limit, cooldown_days, contact_name,
                         contact_phone_ciphertext, state, created_by, state_changed_at, version)
     SELECT t.id, t.partner_id, t.title, t.description, t.kind, t.capacity, t.amount, 0, t.capacity - t.remaining,
            t.remaining, string_to_array(t.cats, ',')::varchar[], string_to_array(t.causes, ',')::varchar[],
            string_to_array(t.emp, ',')::varchar[], t.age_min, t.age_max, t.income_factor, true, t.scope_unit,
            t.scope_region, t.online, t.region_code, t.valid_from, t.valid_until, t.limit_, t.cooldown,
            '联络人', t.phone, 'draft', $24, now(), 1
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[],
                   $9::text[], $10::text[], $11::text[], $12::int[], $13::int[], $14::numeric[], $15::uuid[],
                   $16::text[], $17::boolean[], $18::text[], $19::date[], $20::date[], $21::int[], $22::int[],
                   $23::text[])
         AS t(id, partner_id, title, description, kind, capacity, remaining, amount, cats, causes, emp, age_min,
              age_max, income_factor, scope_unit, scope_region, online, region_code, valid_from, valid_until,
              limit_, cooldown, phone)`,
    [
      ids,
      column((_, i) => partnerIds[i % partnerIds.length]),
      column((o) => o.title),
      column((o) => o.description),
      column((o) => o.kind),
      column((o) => o.capacity),
      column((o) => o.remaining),
      column((o) => o.amountPerBeneficiaryFen),
      column((o) => o.eligibility.categories.join(',')),
      column((o) => o.eligibility.causes.join(',')),
      column((o) => o.eligibility.employment.join(',')),
      column((o) => o.eligibility.ageMin),
      column((o) => o.eligibility.ageMax),
      column((o) => o.eligibility.incomeFactor),
      column((o) => o.scopeUnitId),
      column((o) => o.scopeRegionPrefix),
      column((o) => o.online),
      column((o) => o.regionCode),
      column((o) => o.validFrom),
      column((o) => o.validUntil),
      column((o) => o.perHouseholdLimit),
      column((o) => o.cooldownDays),
      column((_, i) =>
        w.cipher.encrypt(`1360000${String(i % 10_000).padStart(4, '0')}`, offerContactPhoneField(ids[i]!)),
      ),
      w.proposer.id,
    ],
  );
  const itemId = new Map(w.items.map((i) => [i.code, i.id]));
  await w.dataSource.query(
    `INSERT INTO offer_items (offer_id, menu_item_id, position)
     SELECT t.offer_id, t.item_id, t.position FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS t(offer_id, item_id, position)`,
    [
      offers.flatMap((o, i) => o.itemCodes.map(() => ids[i])),
      offers.flatMap((o) => o.itemCodes.map((c) => itemId.get(c)!)),
      offers.flatMap((o) => o.itemCodes.map((_, p) => p)),
    ],
  );
  for (const state of ['pending_review', 'published'])
    await w.dataSource.query(
      `UPDATE offers SET state = $2::varchar, version = version + 1,
              published_at = CASE WHEN $2::text = 'published' THEN now() ELSE published_at END
        WHERE id = ANY($1::uuid[])`,
      [ids, state],
    );
  return ids;
}

/** The approved demo partners (offers are spread over them). */
export async function approvedPartners(w: MatchWorld): Promise<string[]> {
  return (
    await w.dataSource.query(
      `SELECT id FROM partners WHERE status = 'approved' AND kind <> 'union' ORDER BY id`,
    )
  ).map((r: { id: string }) => r.id);
}

/** Logs a bench account in through the real login (password, then its TOTP code); returns the access token. */
export async function login(base: string, user: BenchUser): Promise<string> {
  const first = await call<{ accessToken?: string; mfaRequired?: boolean; mfaToken?: string }>(
    base,
    'POST',
    '/auth/login',
    null,
    { username: user.username, password: DEMO_PASSWORD },
  );
  if (!first.body.mfaRequired) return first.body.accessToken!;
  if (!user.totpSecret) throw new Error(`login ${user.username}: TOTP required but no secret`);
  // A code is accepted once per 30 s step: the next step's code when this one was just spent.
  for (const offset of [0, 30_000]) {
    const second = await fetch(`${base}${API}/auth/login/totp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        mfaToken: first.body.mfaToken,
        code: totpAt(user.totpSecret, new Date(Date.now() + offset)),
      }),
    });
    const body = (await second.json()) as { accessToken?: string };
    if (second.status === 200 && body.accessToken) return body.accessToken;
  }
  throw new Error(`login ${user.username}: TOTP step refused`);
}

/** One JSON call; throws unless 2xx. */
export async function call<T>(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${API}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export const DAYS = DAY_MS;
