import {
  findUnmaskedPersonalData,
  maskIdNumber,
  maskPhone,
  UNMASKED_ID_NUMBER_PATTERN,
  UNMASKED_PHONE_PATTERN,
} from '../../../../common/masking';
import type { EvidenceMimeType } from '../evidence.enums';

interface FileTypeSignature {
  type: EvidenceMimeType;
  magic: readonly number[];
  /** Extensions that name this type; the first is the one added when a name lacks a fitting one. */
  extensions: readonly string[];
  /** Declared media types that mean this type (some phones send `image/jpg`). */
  aliases: readonly string[];
}

// The signatures from the format specifications: PDF 1.7 §7.5.2 header `%PDF-`, JPEG SOI + first marker
// prefix (FF D8 FF), PNG's 8-byte signature.
const SIGNATURES: readonly FileTypeSignature[] = [
  {
    type: 'application/pdf',
    magic: [0x25, 0x50, 0x44, 0x46, 0x2d],
    extensions: ['pdf'],
    aliases: ['application/pdf', 'application/x-pdf'],
  },
  {
    type: 'image/jpeg',
    magic: [0xff, 0xd8, 0xff],
    extensions: ['jpg', 'jpeg'],
    aliases: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  },
  {
    type: 'image/png',
    magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    extensions: ['png'],
    aliases: ['image/png', 'image/x-png'],
  },
];

/** Enough leading bytes to tell every accepted type apart. */
export const SNIFF_BYTES = Math.max(...SIGNATURES.map((s) => s.magic.length));

/** Declared types that say nothing about the content (generic clients, curl without `type=`). */
const UNINFORMATIVE_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** The accepted type the content's first bytes show, or null (not PDF, JPEG or PNG). */
export function detectFileType(head: Uint8Array): EvidenceMimeType | null {
  const match = SIGNATURES.find(
    (s) => head.length >= s.magic.length && s.magic.every((byte, i) => head[i] === byte),
  );
  return match?.type ?? null;
}

/**
 * Whether the client's declared media type agrees with the detected one. A generic type is accepted (the
 * bytes decide); a specific different one is refused, since a PDF sent as `text/html` or an image sent as
 * another image type is a broken or tampered client.
 */
export function declaredTypeAgrees(declared: string | undefined, detected: EvidenceMimeType): boolean {
  const normalised = (declared ?? '').split(';')[0].trim().toLowerCase();
  if (UNINFORMATIVE_TYPES.has(normalised)) return true;
  return signatureOf(detected).aliases.includes(normalised);
}

const MAX_BASE_LENGTH = 80;
// Path separators, characters Windows forbids in names, and quotes that break Content-Disposition.
const FORBIDDEN_CHARS = /[\\/:*?"<>|]/g;
// Control and format characters, including the right-to-left override that disguises `gpj.exe`.
const INVISIBLE_CHARS = /[\p{Cc}\p{Cf}]/gu;
const EXTENSION = /\.([A-Za-z0-9]{1,5})$/;

/**
 * Full ID and mobile numbers in a name (people save scans as `张伟330106196708081234身份证.jpg`) masked
 * the way every response masks them: the name is shown in lists and download headers to anyone who may
 * read the archive, so it must not carry what the masked record hides.
 */
export function maskPersonalDataInName(name: string): string {
  if (findUnmaskedPersonalData(name).length === 0) return name;
  return name
    .replace(new RegExp(UNMASKED_ID_NUMBER_PATTERN.source, 'g'), (id) => maskIdNumber(id) ?? '')
    .replace(new RegExp(UNMASKED_PHONE_PATTERN.source, 'g'), (phone) => maskPhone(phone) ?? '');
}

/**
 * The name shown in lists and offered on download: never a path, never used to store the file. Only the
 * last path segment of what the client sent is kept, without invisible or unsafe characters, with full
 * ID and mobile numbers masked, at most 80 characters before the extension, and ending in an extension
 * that fits the detected type.
 */
export function sanitizeFileName(raw: string | undefined, type: EvidenceMimeType): string {
  const { extensions } = signatureOf(type);
  const lastSegment = (raw ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  // Invisible characters go first so they cannot split a number to hide it from the mask.
  let name = maskPersonalDataInName(
    lastSegment.replace(/\s+/g, ' ').replace(INVISIBLE_CHARS, '').replace(FORBIDDEN_CHARS, '_').trim(),
  );
  let extension = extensions[0];
  const given = EXTENSION.exec(name);
  if (given && extensions.includes(given[1].toLowerCase())) {
    extension = given[1].toLowerCase();
    name = name.slice(0, given.index);
  }
  name = Array.from(name.replace(/^[.\s]+|[.\s]+$/g, ''))
    .slice(0, MAX_BASE_LENGTH)
    .join('')
    .trim();
  return `${name || '材料'}.${extension}`;
}

/**
 * `attachment` with an ASCII fallback name and the real name in RFC 5987 `filename*`, so browsers save
 * Chinese names correctly and no header injection is possible whatever the name holds.
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function signatureOf(type: EvidenceMimeType): FileTypeSignature {
  return SIGNATURES.find((s) => s.type === type)!;
}
