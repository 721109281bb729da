import {
  Body,
  Controller,
  Get,
  Header,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/authorization/decorators';
import { RetryAfterInterceptor } from '../../auth/rate-limit/retry-after.interceptor';
import { ArchiveWorkflowService } from '../archive-workflow.service';
import {
  ListPublicNoticesQueryDto,
  LodgeObjectionDto,
  ObjectionLodgedDto,
  PublicNoticePageDto,
} from './dto/workflow-responses.dto';
import { ApiErrors } from '../../../common/openapi/api-errors';
import { ArchiveWorkflowErrorCode } from './archive-workflow.errors';
import { AuditErrorCode } from '../../audit/audit.errors';
import { CommonErrorCode } from '../../../common/errors';

/** 公示: what anyone may see and say without logging in. */
@ApiTags('public-notices')
@Controller()
@UseInterceptors(RetryAfterInterceptor)
export class PublicNoticesController {
  constructor(private readonly workflow: ArchiveWorkflowService) {}

  @Get('public-notices')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '建档公示（无需登录；仅脱敏姓名、单位、类别与公示期）' })
  @ApiOkResponse({ type: PublicNoticePageDto })
  list(@Query() query: ListPublicNoticesQueryDto): Promise<PublicNoticePageDto> {
    return this.workflow.publicNotices(query);
  }

  @Post('archives/:id/objections')
  @Public()
  @ApiOperation({ summary: '对公示中的档案提出异议（无需登录；按来源地址限流）' })
  @ApiCreatedResponse({ type: ObjectionLodgedDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    AuditErrorCode.AUDIT_WRITE_FAILED,
    ArchiveWorkflowErrorCode.PUBLIC_NOTICE_NOT_FOUND,
    CommonErrorCode.RATE_LIMITED,
  )
  lodge(
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Body() dto: LodgeObjectionDto,
  ): Promise<ObjectionLodgedDto> {
    return this.workflow.lodgeObjection(id, dto);
  }
}
