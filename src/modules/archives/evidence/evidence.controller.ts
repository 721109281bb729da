import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../../config';
import { Authorize, CurrentPrincipal } from '../../auth/authorization/decorators';
import type { Principal } from '../../auth/principal';
import { EvidenceListDto, EvidenceResponseDto, UploadEvidenceBodyDoc } from './dto/evidence.dto';
import { EVIDENCE_MIME_TYPES } from './evidence.enums';
import { EvidenceService } from './evidence.service';
import { readEvidenceUpload } from './multipart-upload';
import { attachmentDisposition } from './rules/evidence-file.rule';
import { ApiErrors } from '../../../common/openapi/api-errors';
import { ArchivesErrorCode } from '../archives.errors';
import { EvidenceErrorCode } from './evidence.errors';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';

const uuid = new ParseUUIDPipe({ version: undefined });

/** Evidence files of an archive (证明材料): upload, list, download, delete. */
@ApiTags('archives')
@ApiBearerAuth()
@Controller('archives/:id/evidence')
export class EvidenceController {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @Authorize('archives.upload-evidence')
  @ApiOperation({
    summary: '上传证明材料（multipart：先 kind 后 file；仅 PDF/JPEG/PNG，按文件内容识别；被记录）',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadEvidenceBodyDoc })
  @ApiCreatedResponse({ type: EvidenceResponseDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    EvidenceErrorCode.EVIDENCE_DUPLICATE,
    EvidenceErrorCode.EVIDENCE_FILE_EMPTY,
    EvidenceErrorCode.EVIDENCE_FILE_MISSING,
    EvidenceErrorCode.EVIDENCE_FILE_TOO_LARGE,
    EvidenceErrorCode.EVIDENCE_LIMIT_REACHED,
    EvidenceErrorCode.EVIDENCE_NOT_ALLOWED_IN_STATUS,
    EvidenceErrorCode.EVIDENCE_NOT_MULTIPART,
    EvidenceErrorCode.EVIDENCE_NOT_UPLOADER,
    EvidenceErrorCode.EVIDENCE_TYPE_MISMATCH,
    EvidenceErrorCode.EVIDENCE_TYPE_NOT_ALLOWED,
    EvidenceErrorCode.EVIDENCE_MULTIPART_MALFORMED,
    EvidenceErrorCode.EVIDENCE_MULTIPART_TOO_MANY_PARTS,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) archiveId: string,
    @Req() request: FastifyRequest,
  ): Promise<EvidenceResponseDto> {
    // Who may upload here is known from the URL and the token: answer 403/404/409 before a byte of the
    // body is parsed, so a stranger's (or a broken) upload is never read at all.
    await this.evidence.assertMayUpload(principal, archiveId);
    const { fields, file } = await readEvidenceUpload(request, this.config.storage.maxFileBytes);
    return this.evidence.upload(principal, archiveId, fields.kind, file);
  }

  @Get()
  @Authorize('archives.list-evidence')
  @ApiOperation({ summary: '档案的证明材料列表（不含已删除；查看被记录）' })
  @ApiOkResponse({ type: EvidenceListDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    EvidenceErrorCode.EVIDENCE_NOT_ALLOWED_IN_STATUS,
    EvidenceErrorCode.EVIDENCE_NOT_UPLOADER,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) archiveId: string,
  ): Promise<EvidenceListDto> {
    return { items: await this.evidence.list(principal, archiveId) };
  }

  @Get(':evidenceId')
  @Authorize('archives.read-evidence')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '下载证明材料（以附件形式；下载被记录）' })
  @ApiOkResponse({
    description: '文件内容（Content-Disposition: attachment）',
    content: Object.fromEntries(
      EVIDENCE_MIME_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    EvidenceErrorCode.EVIDENCE_CONTENT_UNAVAILABLE,
    EvidenceErrorCode.EVIDENCE_NOT_ALLOWED_IN_STATUS,
    EvidenceErrorCode.EVIDENCE_NOT_FOUND,
    EvidenceErrorCode.EVIDENCE_NOT_UPLOADER,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) archiveId: string,
    @Param('evidenceId', uuid) evidenceId: string,
  ): Promise<StreamableFile> {
    const { evidence, content } = await this.evidence.download(principal, archiveId, evidenceId);
    return new StreamableFile(content, {
      type: evidence.mimeType,
      length: evidence.sizeBytes,
      disposition: attachmentDisposition(evidence.fileName),
    });
  }

  @Delete(':evidenceId')
  @HttpCode(204)
  @Authorize('archives.delete-evidence')
  @ApiOperation({ summary: '删除证明材料（软删除：列表和下载中不再出现，记录保留；被记录）' })
  @ApiNoContentResponse()
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    EvidenceErrorCode.EVIDENCE_NOT_ALLOWED_IN_STATUS,
    EvidenceErrorCode.EVIDENCE_NOT_FOUND,
    EvidenceErrorCode.EVIDENCE_NOT_UPLOADER,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) archiveId: string,
    @Param('evidenceId', uuid) evidenceId: string,
  ): Promise<void> {
    return this.evidence.remove(principal, archiveId, evidenceId);
  }
}
