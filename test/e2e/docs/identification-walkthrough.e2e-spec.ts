import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import {
  DEMO_PASSWORD as SEED_PASSWORD,
  seedDemoAccounts,
} from '../../../src/database/seeds/demo-accounts.seed';
import { seedDemoPartners } from '../../../src/database/seeds/demo-partners.seed';
import { seedDibaoLines } from '../../../src/database/seeds/dibao-lines.seed';
import { seedDemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { PasswordHasher } from '../../../src/modules/users/password/password-hasher';
import { DEMO_PASSWORD, identificationWalkthrough } from '../../../scripts/identification-walkthrough';
import { createTestApp, TestApp } from '../../helpers/test-app';

/**
 * The README's identification walkthrough is scripts/identification-walkthrough.ts; this runs it against
 * the started app on the demo accounts (over real HTTP), moving the app's clock past the notice start, so
 * the walkthrough (versions read from each answer, the notice from the next working day) cannot drift.
 */
describe('README identification walkthrough (scripts/identification-walkthrough.ts) against a started app', () => {
  let t: TestApp;
  let baseUrl: string;
  const clock = new FakeClock(new Date().toISOString());

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const dataSource = t.app.get(DataSource);
    const hasher = t.app.get(PasswordHasher);
    await dataSource.transaction(async (manager) => {
      const tree = await seedDemoOrgTree(manager);
      await seedDemoPartners(manager, tree, { cipher: t.app.get(FieldCipher), now: clock.now() });
      await seedDemoAccounts(manager, tree, {
        hash: (p: string) => hasher.hash(p),
        cipher: t.app.get(FieldCipher),
        now: clock.now(),
      });
      await seedDibaoLines(manager);
    });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('walks application → consents → submit → review → verify → approve; the notice opens the next working day', async () => {
    expect(DEMO_PASSWORD).toBe(SEED_PASSWORD);
    const approvedAt = clock.now();
    const today = new Date(approvedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const secrets: Record<string, string> = {};
    const options = {
      baseUrl,
      totpSecrets: secrets,
      now: () => clock.now(),
      nextTotpStep: async () => clock.advance(30_000),
    };
    // First run: the worker applies; it stops at approval, the notice not started yet.
    const first = await identificationWalkthrough({ ...options, untilNoticeStarts: async () => false });
    const step = (result: typeof first, name: string) => result.steps.find((s) => s.step === name);
    expect(first.reachedNotice).toBe(false);
    expect(first.noticeStartsOn > today).toBe(true);
    expect(step(first, 'create')).toMatchObject({ status: 201, archiveStatus: 'draft' });
    // Submit sends the version read just before it, never a number written down.
    expect(step(first, 'read')!.version).toEqual(expect.any(Number));
    expect(step(first, 'submit')).toMatchObject({ status: 200, archiveStatus: 'submitted' });
    expect(step(first, 'review')).toMatchObject({ archiveStatus: 'verifying' });
    expect(step(first, 'verify')).toMatchObject({ archiveStatus: 'approving' });
    expect(step(first, 'approve')).toMatchObject({ archiveStatus: 'publicizing' });
    expect(step(first, 'objection (before)')).toMatchObject({ status: 404 });

    // Second run: the worker holds one unended archive, so the union's caseworker enters the next one;
    // this time the clock is moved to the first notice day: the notice shows and takes an objection.
    clock.advance(30_000); // the approver's last code is spent
    const second = await identificationWalkthrough({
      ...options,
      untilNoticeStarts: async (startsOn) => {
        clock.set(`${startsOn}T09:00:00+08:00`);
        return true;
      },
    });
    expect(step(second, 'create')).toMatchObject({ status: 409, code: 'ARCHIVE_OWNER_HAS_OPEN_ARCHIVE' });
    expect(step(second, 'create (caseworker)')).toMatchObject({ status: 201 });
    expect(second.reachedNotice).toBe(true);
    expect(step(second, 'public notices')).toMatchObject({ status: 200 });
    expect(step(second, 'objection')).toMatchObject({ status: 201 });
  }, 180_000);

  it('the README points at the script and writes down no archive version', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('scripts/identification-walkthrough.ts');
    expect(readme).toContain('npm run walkthrough:identification');
    expect(readme).not.toMatch(/"version":\s*\d/);
  });
});
