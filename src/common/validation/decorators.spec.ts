import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, validate, ValidationError } from 'class-validator';
import {
  ID_NUMBER_MESSAGES,
  IsIdNumber,
  IsMobile,
  MOBILE_MESSAGE,
  NormalizeIdNumber,
  NormalizeMobile,
  OmittableNotNull,
  oneOf,
  QueryList,
  Trim,
  TrimEach,
  TrimLowerCase,
} from './decorators';
import { makeIdNumber } from './id-number';

class PersonDto {
  @NormalizeIdNumber()
  @IsIdNumber()
  idNumber!: string;

  @IsOptional()
  @NormalizeMobile()
  @IsMobile()
  phone?: string;
}

class HouseholdDto {
  @IsIdNumber({ each: true })
  memberIdNumbers!: string[];

  @IsMobile({ message: '联系电话不正确' })
  contactPhone!: string;
}

const VALID_ID = makeIdNumber({ regionCode: '110105', birthDate: '1980-05-20', sequence: 35 });
const VALID_PHONE = '13812342210';

async function errorsOf<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
): Promise<ValidationError[]> {
  return validate(plainToInstance(cls, plain));
}

async function messagesFor(plain: Record<string, unknown>): Promise<Record<string, string[]>> {
  const errors = await errorsOf(PersonDto, plain);
  return Object.fromEntries(errors.map((e) => [e.property, Object.values(e.constraints ?? {})]));
}

describe('@IsIdNumber', () => {
  it('passes a valid number', async () => {
    expect(await errorsOf(PersonDto, { idNumber: VALID_ID })).toEqual([]);
  });

  it.each([
    ['format (17 digits)', VALID_ID.slice(0, 17), ID_NUMBER_MESSAGES.format],
    ['format (not a string)', 12345, ID_NUMBER_MESSAGES.format],
    ['format (missing)', undefined, ID_NUMBER_MESSAGES.format],
    ['region', makeIdNumber({ regionCode: '990101' }), ID_NUMBER_MESSAGES.region],
    [
      'birth date (Feb 29 of a non-leap year)',
      makeIdNumber({ birthDate: '2001-02-29' }),
      ID_NUMBER_MESSAGES.birth_date,
    ],
    ['birth date (future)', makeIdNumber({ birthDate: '2999-01-01' }), ID_NUMBER_MESSAGES.birth_date],
    ['checksum', `${VALID_ID.slice(0, 17)}${VALID_ID[17] === '1' ? '2' : '1'}`, ID_NUMBER_MESSAGES.checksum],
  ])('names the failed check: %s', async (_case, idNumber, message) => {
    expect(await messagesFor({ idNumber })).toEqual({ idNumber: [message] });
  });

  it('uses the isIdNumber constraint name', async () => {
    const [error] = await errorsOf(PersonDto, { idNumber: '123' });
    expect(Object.keys(error.constraints ?? {})).toEqual(['isIdNumber']);
  });

  it('says 校验位错误 for a checksum failure', () => {
    expect(ID_NUMBER_MESSAGES.checksum).toBe('身份证号码校验失败（校验位错误）');
  });

  it('never echoes the value in its message', async () => {
    const bad = `${VALID_ID.slice(0, 17)}${VALID_ID[17] === '1' ? '2' : '1'}`;
    const [error] = await errorsOf(PersonDto, { idNumber: bad });
    expect(JSON.stringify(error.constraints)).not.toContain(bad);
    expect(JSON.stringify(error.constraints)).not.toContain(bad.slice(6, 14));
  });

  it('accepts a lowercase x and stores it as X through @NormalizeIdNumber', async () => {
    const dto = plainToInstance(PersonDto, { idNumber: ' 11010519491231002x ' });
    expect(await validate(dto)).toEqual([]);
    expect(dto.idNumber).toBe('11010519491231002X');
  });

  // prettier-ignore
  it.each([
    ['all valid', [VALID_ID, makeIdNumber({ gender: 'female' })], null],
    ['second has a bad checksum', [VALID_ID, `${VALID_ID.slice(0, 17)}${VALID_ID[17] === '1' ? '2' : '1'}`], ID_NUMBER_MESSAGES.checksum],
    ['first has a bad region', [makeIdNumber({ regionCode: '990000' }), VALID_ID], ID_NUMBER_MESSAGES.region],
  ])('with each: true, %s', async (_case, memberIdNumbers, message) => {
    const errors = await errorsOf(HouseholdDto, { memberIdNumbers, contactPhone: VALID_PHONE });
    expect(errors.map((e) => e.constraints?.isIdNumber ?? null)).toEqual(message ? [message] : []);
  });
});

describe('@IsMobile', () => {
  it.each([
    ['11 digits', '13812342210'],
    ['+86 with separators', '+86 138-1234-2210'],
    ['absent (optional)', undefined],
  ])('passes %s', async (_case, phone) => {
    expect(await messagesFor({ idNumber: VALID_ID, phone })).toEqual({});
  });

  it.each([
    ['starting with 12', '12812342210'],
    ['10 digits', '1381234221'],
    ['a landline', '010-12345678'],
    ['a number instead of a string', 13812342210],
  ])('fails %s with the Chinese message', async (_case, phone) => {
    expect(await messagesFor({ idNumber: VALID_ID, phone })).toEqual({ phone: [MOBILE_MESSAGE] });
  });

  it('normalises through @NormalizeMobile', async () => {
    const dto = plainToInstance(PersonDto, { idNumber: VALID_ID, phone: '+86 138-1234-2210' });
    expect(await validate(dto)).toEqual([]);
    expect(dto.phone).toBe('13812342210');
  });

  it('takes a custom message', async () => {
    const errors = await errorsOf(HouseholdDto, { memberIdNumbers: [VALID_ID], contactPhone: '123' });
    expect(errors.map((e) => e.constraints)).toEqual([{ isMobile: '联系电话不正确' }]);
  });

  it('never echoes the value in its message', async () => {
    const [error] = await errorsOf(PersonDto, { idNumber: VALID_ID, phone: '12812342210' });
    expect(JSON.stringify(error.constraints)).not.toContain('12812342210');
  });
});

class NoteDto {
  @Trim()
  note?: unknown;

  @TrimEach()
  tags?: unknown;
}

describe('Trim and TrimEach', () => {
  it.each([
    ['  送温暖慰问 ', '送温暖慰问'],
    ['\t\n', ''],
    [42, 42],
    [null, null],
    [['  a '], ['  a ']],
  ])('Trim %j -> %j', (input, expected) => {
    expect(plainToInstance(NoteDto, { note: input }).note).toEqual(expected);
  });

  it.each([
    [
      [' 电工 ', '焊工  ', 3, null],
      ['电工', '焊工', 3, null],
    ],
    ['  电工 ', '  电工 '],
    [undefined, undefined],
  ])('TrimEach %j -> %j', (input, expected) => {
    expect(plainToInstance(NoteDto, { tags: input }).tags).toEqual(expected);
  });
});

class FilterDto {
  @QueryList()
  state?: unknown;
}

describe('QueryList and oneOf', () => {
  it.each([
    ['open,screening', ['open', 'screening']],
    [' open , ,screening ', ['open', 'screening']],
    [
      ['open', 'closed'],
      ['open', 'closed'],
    ],
    ['', []],
    [undefined, undefined],
  ])('QueryList %j -> %j', (input, expected) => {
    expect(plainToInstance(FilterDto, { state: input }).state).toEqual(expected);
  });

  it('names the field and every allowed value', () => {
    expect(oneOf('紧急程度', ['normal', 'urgent'])).toEqual({
      message: '紧急程度须为以下之一：normal、urgent',
    });
  });
});

class AccountDto {
  @TrimLowerCase()
  username?: unknown;

  @OmittableNotNull()
  @IsString()
  contactName?: unknown;
}

describe('TrimLowerCase and OmittableNotNull', () => {
  it.each([
    ['  Zhang.San ', 'zhang.san'],
    [7, 7],
  ])('TrimLowerCase %j -> %j', (input, expected) => {
    expect(plainToInstance(AccountDto, { username: input }).username).toEqual(expected);
  });

  it('lets a field be left out, but validates null like any other value', async () => {
    expect(await errorsOf(AccountDto, {})).toEqual([]);
    expect((await errorsOf(AccountDto, { contactName: null })).map((e) => e.property)).toEqual([
      'contactName',
    ]);
    expect(await errorsOf(AccountDto, { contactName: '王强' })).toEqual([]);
  });
});
