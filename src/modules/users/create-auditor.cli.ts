/**
 * `npm run users:create-auditor -- <username> <orgUnitId> <姓名>`: creates an auditor account.
 *
 * Auditors watch the administrators (三员分立), so the admin API can neither grant the role nor touch
 * such accounts: whoever runs the service creates them here, from the server. A one-time password is
 * printed once; the auditor must change it, and enrol TOTP, at first login. The creation is audited.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createWorkerApp } from '../../bootstrap';
import { Clock } from '../../common/clock/clock';
import { ConfigError, loadConfig } from '../../config';
import { AuditService } from '../audit/audit.service';
import { OrgUnitsRepository } from '../org-units/org-units.repository';
import { PasswordHasher } from './password/password-hasher';
import { PasswordPolicy } from './password/password-policy';
import { USERNAME_PATTERN } from './dto/create-user.dto';
import { UsersRepository } from './users.repository';

async function main([username, orgUnitId, displayName]: string[]): Promise<number> {
  if (!username || !orgUnitId || !displayName || !USERNAME_PATTERN.test(username)) {
    console.error(
      '用法: npm run users:create-auditor -- <username> <orgUnitId> <姓名>（用户名以小写字母开头）',
    );
    return 2;
  }
  const app = await createWorkerApp(loadConfig({ overrides: { log: { level: 'warn' } } }));
  try {
    const users = app.get(UsersRepository);
    const units = app.get(OrgUnitsRepository);
    const password = `Sj${randomBytes(9).toString('base64url')}7`;
    app.get(PasswordPolicy).assertAcceptable(password, { username, displayName });
    const passwordHash = await app.get(PasswordHasher).hash(password);
    const now = app.get(Clock).now();
    const created = await users.transaction(async (manager) => {
      if (!(await units.findById(orgUnitId, manager))) return 'no-unit' as const;
      if (await users.findByUsername(username, manager)) return 'taken' as const;
      const id = await users.insert(manager, {
        username,
        displayName,
        kind: 'staff',
        roles: ['auditor'],
        orgUnitId,
        partnerId: null,
        phoneCiphertext: null,
        phoneBlindIndex: null,
        passwordHash,
        passwordChangedAt: now,
        mustChangePassword: true,
        expiresAt: null,
        createdBy: null,
      });
      await app.get(AuditService).record(
        {
          action: 'user.create',
          outcome: 'success',
          target: { type: 'user', id },
          details: { via: 'cli', roles: ['auditor'] },
          actor: null,
          ip: null,
        },
        manager,
      );
      return id;
    });
    if (created === 'no-unit') {
      console.error(`单位 ${orgUnitId} 不存在`);
      return 1;
    }
    if (created === 'taken') {
      console.error(`用户名 ${username} 已被使用`);
      return 1;
    }
    console.log(`已创建审计员 ${username} (${created})。一次性密码（只显示这一次）: ${password}`);
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
