import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/openapi/api-errors';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../../auth/authorization/decorators';
import type { Principal } from '../../auth/principal';
import { ArchivesErrorCode } from '../archives.errors';
import { ArchiveChangeRequestsService } from './archive-change-requests.service';
import { ChangeRequestsErrorCode } from './change-requests.errors';
import {
  ChangeRequestResponseDto,
  CreateChangeRequestDto,
  DecideChangeRequestDto,
} from './change-requests.dto';

const uuid = new ParseUUIDPipe({ version: undefined });

/** 变更申请: category and income changes of active archives, decided by a reviewer who did not ask. */
@ApiTags('archives')
@ApiBearerAuth()
@Controller('archives')
export class ArchiveChangeRequestsController {
  constructor(private readonly changeRequests: ArchiveChangeRequestsService) {}

  @Post(':id/change-requests')
  @Authorize('archives.request-change')
  @ApiOperation({ summary: '在档档案类别或收入变更申请（经办人提出，审核人员批准后生效）' })
  @ApiCreatedResponse({ type: ChangeRequestResponseDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ChangeRequestsErrorCode.CHANGE_REQUEST_ARCHIVE_NOT_ACTIVE,
    ChangeRequestsErrorCode.CHANGE_REQUEST_EMPTY,
    ChangeRequestsErrorCode.CHANGE_REQUEST_MEMBER_INVALID,
    ChangeRequestsErrorCode.CHANGE_REQUEST_PENDING_EXISTS,
    ChangeRequestsErrorCode.CHANGE_REQUEST_TEXT_CONTAINS_PERSONAL_DATA,
    AuthorizationErrorCode.ACCESS_DENIED,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  request(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: CreateChangeRequestDto,
  ): Promise<ChangeRequestResponseDto> {
    return this.changeRequests.request(p, id, dto);
  }

  @Get(':id/change-requests')
  @Authorize('archives.list-change-requests')
  @ApiOperation({ summary: '档案的变更申请（新的在前；查看被记录）' })
  @ApiOkResponse({ type: [ChangeRequestResponseDto] })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    AuthorizationErrorCode.ACCESS_DENIED,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  list(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<ChangeRequestResponseDto[]> {
    return this.changeRequests.list(p, id);
  }

  @Post(':id/change-requests/:requestId/decide')
  @HttpCode(200)
  @Authorize('archives.decide-change-request')
  @ApiOperation({ summary: '审核变更申请：批准（变更生效，重新校验业务规则）/ 驳回；不得审核本人提出的申请' })
  @ApiOkResponse({ type: ChangeRequestResponseDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchivesErrorCode.ARCHIVE_RULES_FAILED,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ChangeRequestsErrorCode.CHANGE_REQUEST_ALREADY_DECIDED,
    ChangeRequestsErrorCode.CHANGE_REQUEST_ARCHIVE_NOT_ACTIVE,
    ChangeRequestsErrorCode.CHANGE_REQUEST_NOT_FOUND,
    ChangeRequestsErrorCode.CHANGE_REQUEST_TEXT_CONTAINS_PERSONAL_DATA,
    AuthorizationErrorCode.ACCESS_DENIED,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.SELF_APPROVAL,
  )
  decide(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Param('requestId', uuid) requestId: string,
    @Body() dto: DecideChangeRequestDto,
  ): Promise<ChangeRequestResponseDto> {
    return this.changeRequests.decide(p, id, requestId, dto);
  }
}
