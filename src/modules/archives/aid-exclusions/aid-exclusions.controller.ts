import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/openapi/api-errors';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../../auth/authorization/decorators';
import type { Principal } from '../../auth/principal';
import { ArchivesErrorCode } from '../archives.errors';
import { ArchiveAidExclusionDto, MarkAidExclusionDto } from './aid-exclusions.dto';
import { AidExclusionsService } from './aid-exclusions.service';

@ApiTags('archives')
@ApiBearerAuth()
@Controller('archives')
export class AidExclusionsController {
  constructor(private readonly exclusions: AidExclusionsService) {}

  @Post(':id/aid-exclusions')
  @Authorize('archives.exclude-aid-year')
  @ApiOperation({ summary: '标记本年度不纳入帮扶（写明原因；不注销档案）' })
  @ApiCreatedResponse({ type: ArchiveAidExclusionDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchivesErrorCode.ARCHIVE_AID_EXCLUSION_NOT_ACTIVE,
    ArchivesErrorCode.ARCHIVE_AID_EXCLUSION_YEAR_INVALID,
    ArchivesErrorCode.ARCHIVE_AID_EXCLUSION_EXISTS,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  mark(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Body() dto: MarkAidExclusionDto,
  ): Promise<ArchiveAidExclusionDto> {
    return this.exclusions.mark(principal, id, dto);
  }
}
