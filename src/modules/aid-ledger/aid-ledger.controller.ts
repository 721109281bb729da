import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/openapi/api-errors';
import { ArchivesErrorCode } from '../archives/archives.errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import { AidLedgerErrorCode } from './aid-ledger.errors';
import { AidLedgerService } from './aid-ledger.service';
import { AidLedgerPageDto, HouseholdAidQueryDto, ListAidLedgerQueryDto } from './dto/aid-ledger.dto';

const uuid = new ParseUUIDPipe({ version: undefined });

/** 帮扶台账: a household's ledger (as its archive is read) and the staff ledger over their subtree. */
@ApiTags('aid-ledger')
@ApiBearerAuth()
@Controller()
export class AidLedgerController {
  constructor(private readonly ledger: AidLedgerService) {}

  @Get('archives/:id/aid')
  @Authorize('archives.read-aid')
  @ApiOperation({
    summary: '本户帮扶台账：历次受助（含冲销记录）与分类合计；可查阅档案者可查阅（查阅留痕）',
  })
  @ApiOkResponse({ type: AidLedgerPageDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    AidLedgerErrorCode.AID_LEDGER_PERIOD_INVALID,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  household(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: HouseholdAidQueryDto,
  ): Promise<AidLedgerPageDto> {
    return this.ledger.forArchive(principal, id, query);
  }

  @Get('aid-ledger')
  @Authorize('aid-ledger.list')
  @ApiOperation({
    summary: '帮扶台账（管辖范围内）：按单位、类别、项目、合作方、期间筛选，附按类别和单位的合计（查阅留痕）',
  })
  @ApiOkResponse({ type: AidLedgerPageDto })
  @ApiErrors(AidLedgerErrorCode.AID_LEDGER_PERIOD_INVALID, AuthorizationErrorCode.OUT_OF_SCOPE)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAidLedgerQueryDto,
  ): Promise<AidLedgerPageDto> {
    return this.ledger.list(principal, query);
  }
}
