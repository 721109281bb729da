import {
  attachmentDisposition,
  declaredTypeAgrees,
  detectFileType,
  sanitizeFileName,
  SNIFF_BYTES,
} from './evidence-file.rule';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (s: string) => new TextEncoder().encode(s);

describe('detectFileType', () => {
  it.each([
    ['a PDF header', text('%PDF-1.7\n%âãÏÓ'), 'application/pdf'],
    ['a JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46), 'image/jpeg'],
    [
      'a JPEG (Exif, from a phone camera)',
      bytes(0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34, 0x45, 0x78),
      'image/jpeg',
    ],
    ['a PNG signature', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00), 'image/png'],
    ['a PNG signature cut short', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a), null],
    ['a PDF header without the dash', text('%PDF1.7'), null],
    ['a GIF', text('GIF89a'), null],
    ['HTML pretending to be a PDF', text('<html><script>'), null],
    ['a Windows executable', text('MZ\x90\x00'), null],
    ['a ZIP (docx, xlsx)', bytes(0x50, 0x4b, 0x03, 0x04), null],
    ['a PDF signature not at the start', text(' %PDF-1.4'), null],
    ['nothing', bytes(), null],
  ])('%s → %s', (_label, head, expected) => {
    expect(detectFileType(head)).toBe(expected);
  });

  it('needs no more than SNIFF_BYTES leading bytes', () => {
    expect(SNIFF_BYTES).toBe(8);
  });
});

describe('declaredTypeAgrees', () => {
  it.each([
    ['application/pdf', 'application/pdf', true],
    ['APPLICATION/PDF; charset=binary', 'application/pdf', true],
    ['application/octet-stream', 'application/pdf', true],
    ['', 'image/png', true],
    [undefined, 'image/png', true],
    ['image/jpg', 'image/jpeg', true],
    ['image/pjpeg', 'image/jpeg', true],
    ['image/png', 'image/jpeg', false],
    ['text/html', 'application/pdf', false],
    ['image/svg+xml', 'image/png', false],
  ] as const)('declared %j for detected %s → %s', (declared, detected, expected) => {
    expect(declaredTypeAgrees(declared, detected)).toBe(expected);
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['身份证正面.jpg', 'image/jpeg', '身份证正面.jpg'],
    ['收入证明.JPEG', 'image/jpeg', '收入证明.jpeg'],
    ['诊断证明', 'application/pdf', '诊断证明.pdf'],
    ['report.exe', 'application/pdf', 'report.exe.pdf'],
    ['photo.png', 'image/jpeg', 'photo.png.jpg'],
    ['../../etc/passwd', 'application/pdf', 'passwd.pdf'],
    ['C:\\Users\\张伟\\Desktop\\低保证.png', 'image/png', '低保证.png'],
    ['a<b>:c"d|e?f*.pdf', 'application/pdf', 'a_b__c_d_e_f_.pdf'],
    ['invoice\u202Efdp.exe', 'application/pdf', 'invoicefdp.exe.pdf'],
    ['line\r\nbreak.pdf', 'application/pdf', 'line break.pdf'],
    ['  ...hidden.pdf  ', 'application/pdf', 'hidden.pdf'],
    ['', 'image/png', '材料.png'],
    [undefined, 'image/png', '材料.png'],
    ['.pdf', 'application/pdf', '材料.pdf'],
    ['2026.03.收入证明', 'application/pdf', '2026.03.收入证明.pdf'],
    // Full ID and mobile numbers are masked like everywhere else; other digit runs stay.
    ['张伟330106196708081234身份证.jpg', 'image/jpeg', '张伟330***********1234身份证.jpg'],
    ['身份证_33010619670808123x.jpg', 'image/jpeg', '身份证_330***********123X.jpg'],
    ['联系电话13812342210.pdf', 'application/pdf', '联系电话138****2210.pdf'],
    ['电话 +86 138-1234-2210 收入.pdf', 'application/pdf', '电话 138****2210 收入.pdf'],
    ['330106196708081234+13812342210.png', 'image/png', '330***********1234+138****2210.png'],
    ['3301061967\u200b08081234.png', 'image/png', '330***********1234.png'],
    ['20261123-001.pdf', 'application/pdf', '20261123-001.pdf'],
    ['合同编号123456789012345678901.pdf', 'application/pdf', '合同编号123456789012345678901.pdf'],
  ] as const)('%j (%s) → %j', (raw, type, expected) => {
    expect(sanitizeFileName(raw, type)).toBe(expected);
  });

  it('keeps at most 80 characters before the extension, counting Chinese characters as one', () => {
    const name = sanitizeFileName(`${'困'.repeat(200)}.pdf`, 'application/pdf');
    expect(name).toBe(`${'困'.repeat(80)}.pdf`);
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentDisposition('收入证明.pdf')).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''%E6%94%B6%E5%85%A5%E8%AF%81%E6%98%8E.pdf`,
    );
  });

  it('cannot be broken out of by quotes, semicolons or line breaks', () => {
    const header = attachmentDisposition('a"; filename=evil.html;\r\nX: y.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.split('filename="')[1].split('"')[0]).toBe('a__ filename=evil.html___X: y.pdf');
  });
});
