import { diffArchives, type ArchiveSnapshot } from './archive-diff';

function snap(version: number, fields: ArchiveSnapshot['fields']): ArchiveSnapshot {
  return { archiveId: 'a1', version, fields };
}

describe('diffArchives', () => {
  const id = (masked: string, fingerprint: string) => ({ masked, fingerprint });

  it.each([
    {
      name: 'unchanged',
      before: { status: 'draft', causes: ['illness'] },
      after: { status: 'draft', causes: ['illness'] },
      diff: {},
    },
    {
      name: 'scalar change',
      before: { status: 'draft', 'head.monthlyIncomeFen': 100 },
      after: { status: 'submitted', 'head.monthlyIncomeFen': 100 },
      diff: { status: { from: 'draft', to: 'submitted' } },
    },
    {
      name: 'array change',
      before: { causes: ['illness'] },
      after: { causes: ['illness', 'schooling'] },
      diff: { causes: { from: ['illness'], to: ['illness', 'schooling'] } },
    },
    {
      name: 'member added',
      before: {},
      after: { 'members.0.name': '李秀英' },
      diff: { 'members.0.name': { from: null, to: '李秀英' } },
    },
    {
      name: 'member removed',
      before: { 'members.0.name': '李秀英' },
      after: {},
      diff: { 'members.0.name': { from: '李秀英', to: null } },
    },
    {
      name: 'identifier with the same mask but a corrected digit',
      before: { 'head.idNumber': id('330***********1234', 'fp-old') },
      after: { 'head.idNumber': id('330***********1234', 'fp-new') },
      diff: { 'head.idNumber': { from: '330***********1234', to: '330***********1234' } },
    },
    {
      name: 'identifier re-encrypted, same person',
      before: { 'head.idNumber': id('330***********1234', 'fp') },
      after: { 'head.idNumber': id('330***********1234', 'fp') },
      diff: {},
    },
    {
      name: 'phone removed',
      before: { 'head.phone': id('138****2210', 'p') },
      after: { 'head.phone': { masked: null, fingerprint: null } },
      diff: { 'head.phone': { from: '138****2210', to: null } },
    },
  ] as { name: string; before: ArchiveSnapshot['fields']; after: ArchiveSnapshot['fields']; diff: object }[])(
    '$name',
    ({ before, after, diff }) => {
      expect(diffArchives(snap(1, before), snap(2, after))).toEqual(diff);
    },
  );

  it('a creation lists only the fields that have a value', () => {
    expect(
      diffArchives(
        null,
        snap(1, {
          status: 'draft',
          skills: null,
          causes: [],
          'head.phone': { masked: null, fingerprint: null },
          'head.idNumber': id('330***********1234', 'fp'),
        }),
      ),
    ).toEqual({
      status: { from: null, to: 'draft' },
      'head.idNumber': { from: null, to: '330***********1234' },
    });
  });

  it('never carries a fingerprint or an unmasked value', () => {
    const diff = diffArchives(
      snap(1, { 'head.idNumber': id('330***********1234', 'secret-fp') }),
      snap(2, { 'head.idNumber': id('330***********9999', 'other-fp') }),
    );
    expect(JSON.stringify(diff)).not.toContain('fp');
  });
});
