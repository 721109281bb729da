import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiEnum, ApiInt, ApiNested, ApiText, ApiUuid } from '../../../common/openapi/api-field';
import { EVIDENCE_MIME_TYPES, type EvidenceMimeType } from '../../archives/evidence/evidence.enums';

/** Swagger only: the multipart body of an upload (the file part only; no text fields). */
export class UploadMatchEvidenceBodyDoc {
  @ApiProperty({ type: 'string', format: 'binary', description: 'PDF、JPEG 或 PNG，不超过配置的大小上限' })
  file!: unknown;
}

export class MatchEvidenceDto {
  @ApiUuid() id!: string;
  @ApiUuid() matchId!: string;
  @ApiText({ description: '显示用文件名（已清理）' }) fileName!: string;
  @ApiEnum(EVIDENCE_MIME_TYPES, { description: '按文件内容识别的类型' }) mimeType!: EvidenceMimeType;
  @ApiInt() sizeBytes!: number;
  @ApiText({ description: '文件内容的 SHA-256（十六进制）' }) sha256!: string;
  @ApiText({ description: 'partner 合作方 | staff 工作人员' }) uploadedByKind!: string;
  @ApiDateTime() uploadedAt!: string;
}

export class MatchEvidenceListDto {
  @ApiNested(() => MatchEvidenceDto, { isArray: true }) items!: MatchEvidenceDto[];
}
