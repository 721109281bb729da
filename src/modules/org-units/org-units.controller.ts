import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import { CreateOrgUnitDto } from './dto/create-org-unit.dto';
import { ListOrgUnitsQueryDto } from './dto/list-org-units.query.dto';
import { OrgUnitPageDto, OrgUnitResponseDto } from './dto/org-unit.response.dto';
import { OrgUnitsService } from './org-units.service';
import { ApiErrors } from '../../common/openapi/api-errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { OrgUnitsErrorCode } from './org-units.errors';

const uuid = new ParseUUIDPipe({ version: undefined });

/** The union tree, each caller within its own unit's subtree. */
@ApiTags('org-units')
@ApiBearerAuth()
@Controller('org-units')
export class OrgUnitsController {
  constructor(private readonly orgUnits: OrgUnitsService) {}

  @Get()
  @Authorize('org-units.read')
  @ApiOperation({ summary: '工会组织列表（本单位及下级单位；可按层级、上级、名称筛选）' })
  @ApiOkResponse({ type: OrgUnitPageDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListOrgUnitsQueryDto,
  ): Promise<OrgUnitPageDto> {
    return OrgUnitPageDto.from(await this.orgUnits.listForPrincipal(principal, query));
  }

  @Get(':id')
  @Authorize('org-units.read')
  @ApiOperation({ summary: '工会组织详情（管辖范围外返回 403）' })
  @ApiOkResponse({ type: OrgUnitResponseDto })
  @ApiErrors(OrgUnitsErrorCode.ORG_UNIT_NOT_FOUND, AuthorizationErrorCode.OUT_OF_SCOPE)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<OrgUnitResponseDto> {
    return OrgUnitResponseDto.from(await this.orgUnits.getForPrincipal(principal, id));
  }

  @Post()
  @Authorize('org-units.create')
  @ApiOperation({ summary: '新建下级工会组织（系统管理员，在本单位之下任意层级）' })
  @ApiCreatedResponse({ type: OrgUnitResponseDto })
  @ApiErrors(
    OrgUnitsErrorCode.ORG_UNIT_LEVEL_MISMATCH,
    OrgUnitsErrorCode.ORG_UNIT_NAME_TAKEN,
    OrgUnitsErrorCode.ORG_UNIT_NATIONAL_HAS_NO_PARENT,
    OrgUnitsErrorCode.ORG_UNIT_NOT_FOUND,
    OrgUnitsErrorCode.ORG_UNIT_PARENT_IS_LEAF,
    OrgUnitsErrorCode.ORG_UNIT_REGION_CODE_INVALID,
    OrgUnitsErrorCode.ORG_UNIT_REGION_OUTSIDE_PARENT,
    OrgUnitsErrorCode.ORG_UNIT_ROOT_EXISTS,
    OrgUnitsErrorCode.ORG_UNIT_ROOT_MUST_BE_NATIONAL,
    OrgUnitsErrorCode.ORG_UNIT_BRANCH_PARENT_INVALID,
    OrgUnitsErrorCode.ORG_UNIT_INDUSTRY_LEVEL_INVALID,
    OrgUnitsErrorCode.ORG_UNIT_INDUSTRY_CHILD_INVALID,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateOrgUnitDto,
  ): Promise<OrgUnitResponseDto> {
    return OrgUnitResponseDto.from(await this.orgUnits.create(principal, dto));
  }
}
