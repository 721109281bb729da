import 'reflect-metadata';
import { validateAs } from '../../../common/http/validation.pipe';
import { CreateUserDto } from './create-user.dto';
import { ListUsersQueryDto } from './list-users.query.dto';
import { UpdateUserDto } from './update-user.dto';
import { DisableUserDto, RevealUserFieldDto } from './user-actions.dto';

/** What the global ValidationPipe does: transform, then validate with the same options. */
function pipe<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
): { value: T; invalid: string[] } {
  const { value, errors } = validateAs(cls, plain);
  return { value, invalid: errors.map((e) => e.property).sort() };
}

const validCreate = {
  username: 'zhang.san',
  displayName: '张三',
  kind: 'staff',
  roles: ['caseworker'],
  orgUnitId: '7d7f3c2e-9a51-4f4b-8a0e-0d2f7a1c9b11',
  password: 'Tuanjie2026gh',
};

describe('CreateUserDto', () => {
  it('lower-cases and trims the username, normalises the phone to 11 digits', () => {
    const { value, invalid } = pipe(CreateUserDto, {
      ...validCreate,
      username: '  Zhang.San ',
      phone: '+86 138-1234-2210',
    });
    expect(invalid).toEqual([]);
    expect(value.username).toBe('zhang.san');
    expect(value.phone).toBe('13812342210');
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(33)],
    ['a space inside', 'zhang san'],
    ['Chinese characters', '张三'],
    ['an @', 'zhang@san'],
    ['a mobile number (shown unmasked everywhere)', '13812342210'],
    ['starting with a digit', '1zhang'],
  ])('refuses a username that is %s', (_name, username) => {
    expect(pipe(CreateUserDto, { ...validCreate, username }).invalid).toEqual(['username']);
  });

  it.each([
    ['32 characters', 'a'.repeat(32)],
    ['dots, dashes, underscores, digits', 'li_na-2.0'],
  ])('accepts a username of %s', (_name, username) => {
    expect(pipe(CreateUserDto, { ...validCreate, username }).invalid).toEqual([]);
  });

  it('refuses an unknown kind or role, a landline and a non-ISO expiry', () => {
    const { invalid } = pipe(CreateUserDto, {
      ...validCreate,
      kind: 'guest',
      roles: ['root'],
      phone: '025-84561234',
      expiresAt: 'next week',
    });
    expect(invalid).toEqual(['expiresAt', 'kind', 'phone', 'roles']);
  });

  it('defaults roles to none and refuses duplicates', () => {
    const { roles: _roles, ...withoutRoles } = validCreate;
    expect(pipe(CreateUserDto, { ...withoutRoles, kind: 'worker' }).value.roles).toEqual([]);
    expect(pipe(CreateUserDto, { ...validCreate, roles: ['reviewer', 'reviewer'] }).invalid).toEqual([
      'roles',
    ]);
  });

  it('refuses fields it does not know (e.g. tokenVersion, passwordHash)', () => {
    expect(pipe(CreateUserDto, { ...validCreate, tokenVersion: 9, passwordHash: 'x' }).invalid).toEqual([
      'passwordHash',
      'tokenVersion',
    ]);
  });
});

describe('UpdateUserDto', () => {
  it('requires the version', () => {
    expect(pipe(UpdateUserDto, { displayName: '李四' }).invalid).toEqual(['version']);
  });

  it('accepts null for expiresAt and phone (clear them), not for displayName, roles or orgUnitId', () => {
    expect(pipe(UpdateUserDto, { version: 3, expiresAt: null, phone: null }).invalid).toEqual([]);
    expect(
      pipe(UpdateUserDto, { version: 3, displayName: null, roles: null, orgUnitId: null }).invalid,
    ).toEqual(['displayName', 'orgUnitId', 'roles']);
  });
});

describe('ListUsersQueryDto', () => {
  it('reads numbers from the query string and knows the four statuses', () => {
    const { value, invalid } = pipe(ListUsersQueryDto, { page: '2', pageSize: '50', status: 'locked' });
    expect(invalid).toEqual([]);
    expect(value).toMatchObject({ page: 2, pageSize: 50, status: 'locked' });
    expect(pipe(ListUsersQueryDto, { status: 'deleted', pageSize: '500' }).invalid).toEqual([
      'pageSize',
      'status',
    ]);
  });
});

describe('reasons', () => {
  it('reveal needs a reason of 5–200 characters and a known field', () => {
    expect(pipe(RevealUserFieldDto, { field: 'phone', reason: '回访核实' }).invalid).toEqual(['reason']);
    expect(pipe(RevealUserFieldDto, { field: 'phone', reason: '回访前核实号码' }).invalid).toEqual([]);
    expect(pipe(RevealUserFieldDto, { field: 'passwordHash', reason: '回访前核实号码' }).invalid).toEqual([
      'field',
    ]);
  });

  it('disable needs a non-blank reason', () => {
    expect(pipe(DisableUserDto, { reason: '   ' }).invalid).toEqual(['reason']);
    expect(pipe(DisableUserDto, { reason: '人员调离' }).invalid).toEqual([]);
  });
});
