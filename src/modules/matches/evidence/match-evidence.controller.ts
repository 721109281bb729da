import { Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../../common/openapi/api-errors';
import { AppConfig } from '../../../config';
import { EVIDENCE_MIME_TYPES } from '../../archives/evidence/evidence.enums';
import { EvidenceErrorCode } from '../../archives/evidence/evidence.errors';
import { readUpload } from '../../archives/evidence/multipart-upload';
import { attachmentDisposition } from '../../archives/evidence/rules/evidence-file.rule';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../../auth/authorization/decorators';
import type { Principal } from '../../auth/principal';
import {
  MatchEvidenceDto,
  MatchEvidenceListDto,
  UploadMatchEvidenceBodyDoc,
} from '../dto/match-evidence.dto';
import { MatchesErrorCode } from '../matches.errors';
import { MatchEvidenceService } from './match-evidence.service';

const uuid = new ParseUUIDPipe({ version: undefined });

const READ_ERRORS = [
  MatchesErrorCode.MATCH_NOT_FOUND,
  AuthorizationErrorCode.NOT_OWNER,
  AuthorizationErrorCode.OUT_OF_SCOPE,
] as const;

/** 交付凭证: files proving a match's delivery, through the storage port. */
@ApiTags('matches')
@ApiBearerAuth()
@Controller('matches/:id/evidence')
export class MatchEvidenceController {
  constructor(
    private readonly evidence: MatchEvidenceService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @Authorize('matches.serve')
  @ApiOperation({
    summary:
      '上传交付凭证（multipart：file；仅 PDF/JPEG/PNG，按文件内容识别；交付方：合作方，或工会自有项目的工作人员；接单后至职工确认前；被记录）',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadMatchEvidenceBodyDoc })
  @ApiCreatedResponse({ type: MatchEvidenceDto })
  @ApiErrors(
    ...READ_ERRORS,
    MatchesErrorCode.MATCH_NOT_UNION_PROGRAMME,
    MatchesErrorCode.MATCH_EVIDENCE_NOT_ALLOWED_IN_STATE,
    MatchesErrorCode.MATCH_EVIDENCE_DUPLICATE,
    MatchesErrorCode.MATCH_EVIDENCE_LIMIT_REACHED,
    EvidenceErrorCode.EVIDENCE_FILE_EMPTY,
    EvidenceErrorCode.EVIDENCE_FILE_MISSING,
    EvidenceErrorCode.EVIDENCE_FILE_TOO_LARGE,
    EvidenceErrorCode.EVIDENCE_NOT_MULTIPART,
    EvidenceErrorCode.EVIDENCE_TYPE_MISMATCH,
    EvidenceErrorCode.EVIDENCE_TYPE_NOT_ALLOWED,
    EvidenceErrorCode.EVIDENCE_MULTIPART_MALFORMED,
    EvidenceErrorCode.EVIDENCE_MULTIPART_TOO_MANY_PARTS,
    AuthorizationErrorCode.ACCESS_DENIED,
  )
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) matchId: string,
    @Req() request: FastifyRequest,
  ): Promise<MatchEvidenceDto> {
    // Who may upload is known from the URL and the token: refuse before a byte of the body is read.
    await this.evidence.assertMayUpload(principal, matchId);
    const { file } = await readUpload(request, this.config.storage.maxFileBytes, null);
    return this.evidence.upload(principal, matchId, file);
  }

  @Get()
  @Authorize('matches.read')
  @ApiOperation({ summary: '匹配的交付凭证列表（能查看该匹配者可见；查看被记录）' })
  @ApiOkResponse({ type: MatchEvidenceListDto })
  @ApiErrors(...READ_ERRORS)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) matchId: string,
  ): Promise<MatchEvidenceListDto> {
    return { items: await this.evidence.list(principal, matchId) };
  }

  @Get(':evidenceId')
  @Authorize('matches.read')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '下载交付凭证（以附件形式；下载被记录）' })
  @ApiOkResponse({
    description: '文件内容（Content-Disposition: attachment）',
    content: Object.fromEntries(
      EVIDENCE_MIME_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiErrors(
    ...READ_ERRORS,
    MatchesErrorCode.MATCH_EVIDENCE_NOT_FOUND,
    EvidenceErrorCode.EVIDENCE_CONTENT_UNAVAILABLE,
  )
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) matchId: string,
    @Param('evidenceId', uuid) evidenceId: string,
  ): Promise<StreamableFile> {
    const { evidence, content } = await this.evidence.download(principal, matchId, evidenceId);
    return new StreamableFile(content, {
      type: evidence.mimeType,
      length: evidence.sizeBytes,
      disposition: attachmentDisposition(evidence.fileName),
    });
  }
}
