import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { DomainError } from '../../../common/errors';
import { toValidDto } from '../../../common/http/validation.pipe';
import { UploadEvidenceFieldsDto } from './dto/evidence.dto';
import { EvidenceErrorCode } from './evidence.errors';
import type { IncomingEvidenceFile } from './evidence.service';

export const EVIDENCE_FILE_FIELD = 'file';

export interface EvidenceUploadRequest {
  fields: UploadEvidenceFieldsDto;
  /** Not read yet: the service checks access before it consumes the bytes. */
  file: IncomingEvidenceFile;
}

/**
 * Reads an evidence upload's multipart head: the text fields, then the first file part, whose content is
 * handed on as an unread stream. Fields after the file are never seen, so they must come first.
 */
export function readEvidenceUpload(
  request: FastifyRequest,
  maxFileBytes: number,
): Promise<EvidenceUploadRequest> {
  return readUpload(request, maxFileBytes, UploadEvidenceFieldsDto);
}

/**
 * The same for any upload: its text fields validated as `fieldsDto`, or — with null, for an upload that
 * has none (match delivery evidence) — refused if any is sent.
 */
export async function readUpload<T extends object>(
  request: FastifyRequest,
  maxFileBytes: number,
  fieldsDto: (new () => T) | null,
): Promise<{ fields: T; file: IncomingEvidenceFile }> {
  if (!request.isMultipart()) throw new DomainError(EvidenceErrorCode.EVIDENCE_NOT_MULTIPART);
  try {
    return await readHead(request, maxFileBytes, fieldsDto);
  } catch (error) {
    throw parserError(error);
  }
}

/**
 * What the multipart parser (busboy via @fastify/multipart) throws on a body it cannot read becomes a
 * 400 (413 for too many parts); our own DomainErrors pass unchanged. Only the parser runs where this is
 * used, so nothing else is mistaken for a client's fault.
 */
function parserError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if ((error as { statusCode?: unknown } | null)?.statusCode === 413) {
    return new DomainError(EvidenceErrorCode.EVIDENCE_MULTIPART_TOO_MANY_PARTS);
  }
  return new DomainError(EvidenceErrorCode.EVIDENCE_MULTIPART_MALFORMED);
}

async function readHead<T extends object>(
  request: FastifyRequest,
  maxFileBytes: number,
  fieldsDto: (new () => T) | null,
): Promise<{ fields: T; file: IncomingEvidenceFile }> {
  const parts = request.parts({
    limits: { files: 1, fileSize: maxFileBytes, fields: 4, fieldSize: 256, parts: 5, headerPairs: 50 },
  });
  // The fields as the iteration meets them: busboy may already have parsed a field that follows the file
  // into `part.fields`, depending on buffering, so that object would make the order rule random.
  const fields: Record<string, string> = {};
  for await (const part of parts) {
    if (part.type === 'field') {
      fields[part.fieldname] ??= String(part.value);
      continue;
    }
    if (part.fieldname !== EVIDENCE_FILE_FIELD) break;
    return {
      fields: fieldsDto ? toValidDto(fieldsDto, fields) : noFields<T>(fields),
      file: {
        fileName: part.filename,
        declaredType: part.mimetype,
        content: Readable.from(untruncated(part, maxFileBytes)),
      },
    };
  }
  throw new DomainError(EvidenceErrorCode.EVIDENCE_FILE_MISSING);
}

/**
 * The part's bytes, failing once the size limit cut them: busboy then just ends the stream early with
 * `truncated` set, which would otherwise store a clipped file as if it were whole. A body that ends
 * inside the file (no closing boundary) fails with EVIDENCE_MULTIPART_MALFORMED.
 */
async function* untruncated(part: MultipartFile, maxFileBytes: number): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of part.file) {
      if (part.file.truncated) break;
      yield chunk as Buffer;
    }
  } catch (error) {
    // The body ended inside the file, or the parser failed further on: the file is not whole.
    throw parserError(error);
  }
  if (part.file.truncated) {
    throw new DomainError(EvidenceErrorCode.EVIDENCE_FILE_TOO_LARGE, { maxBytes: maxFileBytes });
  }
}

function noFields<T>(fields: Record<string, string>): T {
  if (Object.keys(fields).length > 0)
    throw new DomainError(EvidenceErrorCode.EVIDENCE_MULTIPART_TOO_MANY_PARTS);
  return {} as T;
}
