import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import { ArchivesService } from './archives.service';
import { ListArchivesQueryDto, RecordConsentDto, RevealArchiveFieldDto } from './dto/archive-actions.dto';
import { CreateArchiveDto, UpdateArchiveDto } from './dto/archive-input.dto';
import {
  ArchiveConsentDto,
  ArchiveDetailDto,
  ArchivePageDto,
  RevealedArchiveFieldDto,
} from './dto/archive.response.dto';
import { ApiErrors } from '../../common/openapi/api-errors';
import { ChangeRequestsErrorCode } from './change-requests/change-requests.errors';
import { ArchivesErrorCode } from './archives.errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';

const uuid = new ParseUUIDPipe({ version: undefined });

/** Hardship archives (建档立卡): the household record. Workflow commands are in ArchiveWorkflowController. */
@ApiTags('archives')
@ApiBearerAuth()
@Controller('archives')
export class ArchivesController {
  constructor(private readonly archives: ArchivesService) {}

  @Post()
  @Authorize('archives.create')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      '新建档案（职工自助申请，或经办人员代录）；状态为草稿。每名职工只能有一份未办结的档案；草稿不占用人员名额',
  })
  @ApiCreatedResponse({ type: ArchiveDetailDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchivesErrorCode.ARCHIVE_ORG_UNIT_INVALID,
    ArchivesErrorCode.ARCHIVE_OWNER_HAS_OPEN_ARCHIVE,
    ArchivesErrorCode.ARCHIVE_OWNER_INVALID,
    ArchivesErrorCode.ARCHIVE_RULES_FAILED,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateArchiveDto): Promise<ArchiveDetailDto> {
    return this.archives.create(principal, dto);
  }

  @Get()
  @Authorize('archives.list')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '档案列表（管辖范围内；职工仅本人；身份证号已脱敏）' })
  @ApiOkResponse({ type: ArchivePageDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListArchivesQueryDto,
  ): Promise<ArchivePageDto> {
    return this.archives.list(principal, query);
  }

  @Get(':id')
  @Authorize('archives.read')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '档案详情（已脱敏；查看被记录）' })
  @ApiOkResponse({ type: ArchiveDetailDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ArchiveDetailDto> {
    return this.archives.get(principal, id);
  }

  @Patch(':id')
  @Authorize('archives.update')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      '修改档案（须带 version；草稿/退回可改，在档档案由经办人员修改并重新校验；在档档案的类别或收入须走变更申请）',
  })
  @ApiOkResponse({ type: ArchiveDetailDto })
  @ApiErrors(
    ChangeRequestsErrorCode.ARCHIVE_CHANGE_NEEDS_REVIEW,
    ArchivesErrorCode.ARCHIVE_NOT_EDITABLE,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchivesErrorCode.ARCHIVE_RULES_FAILED,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateArchiveDto,
  ): Promise<ArchiveDetailDto> {
    return this.archives.update(principal, id, dto);
  }

  @Post(':id/reveal')
  @HttpCode(200)
  @Authorize('archives.reveal')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '查看一项未脱敏的个人信息（须填写原因；被记录）' })
  @ApiOkResponse({ type: RevealedArchiveFieldDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchivesErrorCode.ARCHIVE_REASON_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_REVEAL_FIELD_EMPTY,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  reveal(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: RevealArchiveFieldDto,
  ): Promise<RevealedArchiveFieldDto> {
    return this.archives.reveal(principal, id, dto);
  }

  @Post(':id/consents')
  @Authorize('archives.consent')
  @ApiOperation({ summary: '登记个人信息处理同意（一般同意、敏感信息单独同意、监护人同意）' })
  @ApiCreatedResponse({ type: ArchiveConsentDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_CONSENT_IN_FUTURE,
    ArchivesErrorCode.ARCHIVE_CONSENT_MEMBER_INVALID,
    ArchivesErrorCode.ARCHIVE_CONSENT_NOT_ALLOWED,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  recordConsent(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: RecordConsentDto,
  ): Promise<ArchiveConsentDto> {
    return this.archives.recordConsent(principal, id, dto);
  }
}
