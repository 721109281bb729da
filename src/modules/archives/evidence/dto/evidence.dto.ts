import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ApiDateTime, ApiEnum, ApiInt, ApiNested, ApiUuid } from '../../../../common/openapi/api-field';
import {
  EVIDENCE_KINDS,
  EVIDENCE_MIME_TYPES,
  type EvidenceKind,
  type EvidenceMimeType,
} from '../evidence.enums';

/** The text fields of an upload; they must come before the file part (as in an S3 POST form). */
export class UploadEvidenceFieldsDto {
  @ApiEnum(EVIDENCE_KINDS, { enumName: 'EvidenceKind', description: '材料类别' })
  @IsIn(EVIDENCE_KINDS)
  kind!: EvidenceKind;
}

/** Swagger only: the multipart body of an upload. */
export class UploadEvidenceBodyDoc {
  @ApiEnum(EVIDENCE_KINDS, { enumName: 'EvidenceKind', description: '材料类别（须放在文件之前）' })
  kind!: EvidenceKind;

  @ApiProperty({ type: 'string', format: 'binary', description: 'PDF、JPEG 或 PNG，不超过配置的大小上限' })
  file!: unknown;
}

export class EvidenceResponseDto {
  @ApiUuid() id!: string;
  @ApiUuid() archiveId!: string;
  @ApiEnum(EVIDENCE_KINDS, { enumName: 'EvidenceKind' }) kind!: EvidenceKind;
  @ApiProperty({ description: '显示用文件名（已清理）' }) fileName!: string;
  @ApiEnum(EVIDENCE_MIME_TYPES, { description: '按文件内容识别的类型' })
  mimeType!: EvidenceMimeType;
  @ApiInt() sizeBytes!: number;
  @ApiProperty({ description: '文件内容的 SHA-256（十六进制）' }) sha256!: string;
  @ApiUuid() uploadedBy!: string;
  @ApiDateTime() uploadedAt!: string;
}

export class EvidenceListDto {
  @ApiNested(() => EvidenceResponseDto, { isArray: true }) items!: EvidenceResponseDto[];
}
