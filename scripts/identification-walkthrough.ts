/**
 * The identification walkthrough of the README, as a program: a worker applies for an archive, records
 * the consents, submits; the grassroots union reviews, the district verifies with a home visit, an
 * approver approves; the notice starts on the next working day, the public sees it and may object.
 *
 *   npm run seed:demo && npm start                      # in one terminal
 *   npm run walkthrough:identification                  # in another (-- --base-url <url> for another server)
 *
 * Every step sends the archive version of the previous answer (submit re-reads the archive after the
 * consents), so no number is written down that could go stale. The approver (xh.approver) needs TOTP: at its first login
 * the script enrols it and keeps the secret in data/walkthrough-totp.json for the next runs.
 *
 * The public notice starts the working day after approval (not at once): before it, the archive is not on
 * the public list and an objection answers 404. The script stops there and prints the date; on or after
 * it, `npm run walkthrough:identification -- --notice <archiveId>` shows the notice and lodges an
 * objection. When the notice has ended without an open objection, the daily job activates the archive
 * (`npm run jobs:run -- archives.activate-publicized` runs it at once). The e2e test
 * test/e2e/docs/identification-walkthrough.e2e-spec.ts runs this file against a started app, moving the
 * app's clock past the notice start, so the README cannot drift from the API again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { base32Decode } from '../src/modules/auth/totp/base32';
import { TOTP_STEP_SECONDS, totpAt } from '../src/modules/auth/totp/totp';
import { makeIdNumber } from '../src/common/validation/id-number';
import { DEMO_PASSWORD } from '../src/database/seeds/demo-accounts.seed';

export { DEMO_PASSWORD };

export interface WalkthroughOptions {
  baseUrl: string;
  password?: string;
  /** The server's current time (TOTP codes are computed for it); default the local clock. */
  now?: () => Date;
  /** Waits until a new TOTP step starts (a code is good once); default sleeps until the next 30 s step. */
  nextTotpStep?: () => Promise<void>;
  /** TOTP secrets (base32) by username; enrolment adds to it. */
  totpSecrets?: Record<string, string>;
  /**
   * Called after approval with the notice's first day; resolves true once the server's date has reached
   * it (the walkthrough then shows the notice and lodges an objection), false to stop there.
   */
  untilNoticeStarts?: (noticeStartsOn: string) => Promise<boolean>;
  log?: (line: string) => void;
}

export interface WalkthroughStep {
  step: string;
  status: number;
  /** The error code of an answer that was expected to be refused. */
  code?: string;
  /** The archive's status and version after the step, where the answer has them. */
  archiveStatus?: string;
  version?: number;
}

export interface WalkthroughResult {
  archiveId: string;
  noticeStartsOn: string;
  noticeEndsOn: string;
  steps: WalkthroughStep[];
  /** False when the walkthrough stopped before the notice started. */
  reachedNotice: boolean;
}

class WalkthroughError extends Error {}

type Json = Record<string, unknown>;

export async function identificationWalkthrough(options: WalkthroughOptions): Promise<WalkthroughResult> {
  const password = options.password ?? DEMO_PASSWORD;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const secrets = options.totpSecrets ?? {};
  const nextTotpStep =
    options.nextTotpStep ??
    (() => sleep(TOTP_STEP_SECONDS * 1000 - (Date.now() % (TOTP_STEP_SECONDS * 1000)) + 200));
  const steps: WalkthroughStep[] = [];

  async function call(
    step: string,
    method: 'GET' | 'POST',
    path: string,
    body: Json | undefined,
    token: string | null,
    expected: number | readonly number[],
  ): Promise<Json> {
    const response = await fetch(`${options.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const json = (text ? JSON.parse(text) : {}) as Json;
    const accepted = typeof expected === 'number' ? [expected] : expected;
    if (!accepted.includes(response.status)) {
      throw new WalkthroughError(`${step}: ${method} ${path} → ${response.status} ${text}`);
    }
    const record: WalkthroughStep = { step, status: response.status };
    if (response.status >= 400) record.code = json.code as string;
    if (typeof json.status === 'string') record.archiveStatus = json.status;
    if (typeof json.version === 'number') record.version = json.version;
    steps.push(record);
    log(`${step}: ${response.status}${record.archiveStatus ? ` ${record.archiveStatus}` : ''}`);
    return json;
  }

  async function login(username: string): Promise<string> {
    const first = await call(`login ${username}`, 'POST', '/auth/login', { username, password }, null, 200);
    if (first.mfaRequired) {
      const secret = secrets[username];
      if (!secret) throw new WalkthroughError(`${username} 已启用动态口令，但没有其密钥`);
      const tokens = await call(
        `login ${username} (TOTP)`,
        'POST',
        '/auth/login/totp',
        { mfaToken: first.mfaToken, code: totpAt(base32Decode(secret), now()) },
        null,
        200,
      );
      return tokens.accessToken as string;
    }
    if (first.restriction === 'totp_enrolment') {
      // First login of an approver: enrol the second factor, then log in with it.
      const restricted = first.accessToken as string;
      const enrol = await call(`enrol TOTP ${username}`, 'POST', '/auth/totp/enrol', {}, restricted, 200);
      secrets[username] = enrol.secret as string;
      await call(
        `activate TOTP ${username}`,
        'POST',
        '/auth/totp/activate',
        { code: totpAt(base32Decode(secrets[username]), now()) },
        restricted,
        200,
      );
      await nextTotpStep(); // the activation code's step is spent
      return login(username);
    }
    return first.accessToken as string;
  }

  // 1. A worker applies for its own household (its union is implied); ID numbers are checked and encrypted.
  // A worker holds one unended archive: on a second run the union's caseworker enters it instead.
  let worker = await login('worker.zhangwei');
  const sequence = 1 + 2 * Math.floor(Math.random() * 499);
  const year = 1965 + Math.floor(Math.random() * 10);
  const application = (): Json => ({
    kind: 'formal',
    category: 'dibao',
    regionCode: '330106',
    head: {
      name: '王建国',
      idNumber: makeIdNumber({ regionCode: '330106', birthDate: `${year}-06-15`, sequence, gender: 'male' }),
      employmentStatus: 'employed',
      monthlyIncomeFen: 120000,
    },
    members: [
      {
        relation: 'spouse',
        name: '李淑芬',
        idNumber: makeIdNumber({
          regionCode: '330106',
          birthDate: `${year + 2}-02-08`,
          sequence: sequence + 1,
          gender: 'female',
        }),
        monthlyIncomeFen: 0,
        health: 'serious_illness',
        schoolingStage: 'none',
      },
    ],
    causes: ['illness'],
    primaryCause: 'illness',
    householdSituation: '夫妻二人，妻子患尿毒症长期透析，租住单位周转房。',
    causeDescription: '妻子每周透析三次，每月自付医药费约三千元，家庭入不敷出。',
    skills: '纺织机械维修，持中级电工证',
    jobWishes: '希望在本单位继续工作，可接受夜班',
    stateOfMind: '情绪稳定，积极配合治疗',
  });
  let archive = await call('create', 'POST', '/archives', application(), worker, [201, 409]);
  if (archive.code === 'ARCHIVE_OWNER_HAS_OPEN_ARCHIVE') {
    log('该职工已有在办档案：改由基层工会经办人代为录入');
    worker = await login('gr1.caseworker');
    archive = await call('create (caseworker)', 'POST', '/archives', application(), worker, 201);
  } else if (archive.code) {
    throw new WalkthroughError(`create: ${JSON.stringify(archive)}`);
  }
  const id = archive.id as string;

  // 2. PIPL consents of the head: general and sensitive.
  // Signed a minute ago by the server's clock and by this machine's (the API checks both).
  const grantedAt = new Date(Math.min(now().getTime(), Date.now()) - 60_000).toISOString();
  for (const kind of ['general', 'sensitive']) {
    await call(
      `consent ${kind}`,
      'POST',
      `/archives/${id}/consents`,
      { subject: 'head', purpose: 'archive_management', kind, textVersion: '2026.1', grantedAt },
      worker,
      201,
    );
  }

  // 3. Submit, at the version the archive has now (read it again rather than assume one).
  const current = await call('read', 'GET', `/archives/${id}`, undefined, worker, 200);
  let state = await call(
    'submit',
    'POST',
    `/archives/${id}/submit`,
    { version: current.version },
    worker,
    200,
  );

  // 4. Grassroots review by the archive's own union, 5. verification with a home visit by the unit above.
  state = await call(
    'review',
    'POST',
    `/archives/${id}/review`,
    { version: state.version, decision: 'approve', note: '情况属实' },
    await login('gr1.reviewer'),
    200,
  );
  const today = new Date(now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  state = await call(
    'verify',
    'POST',
    `/archives/${id}/verify`,
    {
      version: state.version,
      decision: 'pass',
      visit: { date: today, visitors: ['赵刚', '孙丽'], findings: '入户核实，妻子长期透析，家庭情况属实。' },
    },
    await login('xh.reviewer'),
    200,
  );

  // 6. Approval: the public notice runs from the next working day for 5 working days.
  state = await call(
    'approve',
    'POST',
    `/archives/${id}/approve`,
    { version: state.version, decision: 'approve' },
    await login('xh.approver'),
    200,
  );
  const noticeStartsOn = state.noticeStartsOn as string;
  const noticeEndsOn = state.noticeEndsOn as string;
  log(`公示期 ${noticeStartsOn} 至 ${noticeEndsOn}（审定次一个工作日开始）`);

  // Before the notice starts, it is not on public display and nobody can object yet.
  const early = await call(
    'public notices (before)',
    'GET',
    '/public-notices?pageSize=100',
    undefined,
    null,
    200,
  );
  if ((early.items as Json[]).some((n) => n.archiveId === id)) {
    throw new WalkthroughError('公示尚未开始，档案却已出现在公示列表中');
  }
  await call(
    'objection (before)',
    'POST',
    `/archives/${id}/objections`,
    { reason: '该户家中经营小超市，收入情况与申报不符，请核实。' },
    null,
    404,
  );

  const reachedNotice = options.untilNoticeStarts ? await options.untilNoticeStarts(noticeStartsOn) : false;
  if (reachedNotice) await noticeSteps(id);
  return { archiveId: id, noticeStartsOn, noticeEndsOn, steps, reachedNotice };

  async function noticeSteps(archiveId: string): Promise<void> {
    // 7. During the notice: masked name, unit and category, no login; anyone may object.
    const notices = await call('public notices', 'GET', '/public-notices?pageSize=100', undefined, null, 200);
    if (!(notices.items as Json[]).some((n) => n.archiveId === archiveId)) {
      throw new WalkthroughError('公示期内的档案不在公示列表中');
    }
    await call(
      'objection',
      'POST',
      `/archives/${archiveId}/objections`,
      { reason: '该户家中经营小超市，收入情况与申报不符，请核实。' },
      null,
      201,
    );
  }
}

/** The notice part alone, for `--notice <archiveId>` once the notice has started. */
export async function noticeWalkthrough(baseUrl: string, archiveId: string): Promise<void> {
  const notices = (await (await fetch(`${baseUrl}/api/v1/public-notices?pageSize=100`)).json()) as {
    items: Json[];
  };
  const mine = notices.items.find((n) => n.archiveId === archiveId);
  console.log(
    mine ? `公示中: ${JSON.stringify(mine)}` : '该档案不在公示期内（公示从审定的次一个工作日开始）',
  );
  if (!mine) return;
  const response = await fetch(`${baseUrl}/api/v1/archives/${archiveId}/objections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reason: '该户家中经营小超市，收入情况与申报不符，请核实。' }),
  });
  console.log(`异议: ${response.status} ${await response.text()}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const SECRETS_FILE = 'data/walkthrough-totp.json';

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--base-url');
  const baseUrl = at >= 0 ? (argv[at + 1] ?? '') : 'http://localhost:3000';
  const notice = argv.indexOf('--notice');
  if (notice >= 0) {
    await noticeWalkthrough(baseUrl, argv[notice + 1] ?? '');
    return 0;
  }
  const totpSecrets = existsSync(SECRETS_FILE)
    ? (JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as Record<string, string>)
    : {};
  try {
    const result = await identificationWalkthrough({ baseUrl, totpSecrets, log: (l) => console.log(l) });
    console.log(
      `档案 ${result.archiveId} 已审定；${result.noticeStartsOn} 起可运行 ` +
        `npm run walkthrough:identification -- --notice ${result.archiveId}`,
    );
    return 0;
  } catch (error) {
    console.error(error instanceof WalkthroughError ? error.message : error);
    return 1;
  } finally {
    mkdirSync(dirname(SECRETS_FILE), { recursive: true });
    writeFileSync(SECRETS_FILE, JSON.stringify(totpSecrets, null, 2), { mode: 0o600 });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
