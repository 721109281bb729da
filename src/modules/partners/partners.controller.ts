import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommonErrorCode } from '../../common/errors';
import { ApiErrors } from '../../common/openapi/api-errors';
import { AuditErrorCode } from '../audit/audit.errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal, Public } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import { RetryAfterInterceptor } from '../auth/rate-limit/retry-after.interceptor';
import { PasswordErrorCode } from '../users/password/password.errors';
import { UsersErrorCode } from '../users/users.errors';
import {
  DisablePartnerAccountDto,
  ListPartnersQueryDto,
  PartnerAccountDto,
  PartnerAccountInputDto,
  PartnerAccountListDto,
  PartnerDto,
  PartnerPageDto,
  PartnerRegistrationDto,
  RegisterPartnerDto,
  VetPartnerDto,
} from './dto/partner.dto';
import { PartnerAccountsAdminService } from './partner-accounts-admin.service';
import { PartnerRegistrationService } from './partner-registration.service';
import { PartnerVettingService } from './partner-vetting.service';
import { PartnersErrorCode } from './partners.errors';
import { PartnersService } from './partners.service';

const uuid = new ParseUUIDPipe({ version: undefined });

const VETTING_ERRORS = [
  PartnersErrorCode.PARTNER_NOT_FOUND,
  PartnersErrorCode.PARTNER_INVALID_TRANSITION,
  PartnersErrorCode.PARTNER_VERSION_CONFLICT,
  PartnersErrorCode.PARTNER_IS_UNION,
  PartnersErrorCode.PARTNER_TEXT_CONTAINS_PERSONAL_DATA,
  AuthorizationErrorCode.OUT_OF_SCOPE,
] as const;

/** Partner organisations (合作方): self-registration, vetting by the union, the partner's own accounts. */
@ApiTags('partners')
@Controller('partners')
@UseInterceptors(RetryAfterInterceptor)
export class PartnersController {
  constructor(
    private readonly partners: PartnersService,
    private readonly registration: PartnerRegistrationService,
    private readonly vetting: PartnerVettingService,
    private readonly accounts: PartnerAccountsAdminService,
  ) {}

  @Post()
  @Public()
  @ApiOperation({
    summary: '合作方自助注册（无需登录；限流）：机构信息与首个账号；待受理工会审核通过后方可登录',
  })
  @ApiCreatedResponse({ type: PartnerRegistrationDto })
  @ApiErrors(
    PartnersErrorCode.PARTNER_CREDIT_CODE_INVALID,
    PartnersErrorCode.PARTNER_CREDIT_CODE_REQUIRED,
    PartnersErrorCode.PARTNER_CREDIT_CODE_TAKEN,
    PartnersErrorCode.PARTNER_ORG_UNIT_NOT_FOUND,
    PartnersErrorCode.PARTNER_TEXT_CONTAINS_PERSONAL_DATA,
    PasswordErrorCode.PASSWORD_POLICY_VIOLATION,
    UsersErrorCode.USERNAME_TAKEN,
    UsersErrorCode.USER_PARTNER_NOT_FOUND,
    UsersErrorCode.PHONE_IN_USE,
    AuditErrorCode.AUDIT_WRITE_FAILED,
    CommonErrorCode.RATE_LIMITED,
  )
  register(@Body() dto: RegisterPartnerDto): Promise<PartnerRegistrationDto> {
    return this.registration.register(dto);
  }

  @Get()
  @ApiBearerAuth()
  @Authorize('partners.list')
  @ApiOperation({ summary: '合作方列表（本单位及下级单位受理的；待审核的排在前面）' })
  @ApiOkResponse({ type: PartnerPageDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListPartnersQueryDto,
  ): Promise<PartnerPageDto> {
    return this.partners.list(principal, query);
  }

  @Get(':id')
  @ApiBearerAuth()
  @Authorize('partners.read')
  @ApiOperation({ summary: '合作方详情（工作人员限管辖范围；合作方账号限本机构；手机号打码）' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiErrors(
    PartnersErrorCode.PARTNER_NOT_FOUND,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.NOT_OWNER,
  )
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<PartnerDto> {
    return this.partners.get(principal, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiBearerAuth()
  @Authorize('partners.vet')
  @ApiOperation({ summary: '审核通过（待审核或已驳回的合作方；带版本号；留痕）' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiErrors(...VETTING_ERRORS)
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: VetPartnerDto,
  ): Promise<PartnerDto> {
    return this.vetting.vet(principal, id, 'approve', dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiBearerAuth()
  @Authorize('partners.vet')
  @ApiOperation({ summary: '驳回注册申请（须写明原因；带版本号；留痕）' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiErrors(...VETTING_ERRORS)
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: VetPartnerDto,
  ): Promise<PartnerDto> {
    return this.vetting.vet(principal, id, 'reject', dto);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiBearerAuth()
  @Authorize('partners.vet')
  @ApiOperation({
    summary: '暂停合作方（须写明原因；其供给立即不再展示，其账号立即退出且不能登录；留痕）',
  })
  @ApiOkResponse({ type: PartnerDto })
  @ApiErrors(...VETTING_ERRORS)
  suspend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: VetPartnerDto,
  ): Promise<PartnerDto> {
    return this.vetting.vet(principal, id, 'suspend', dto);
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @ApiBearerAuth()
  @Authorize('partners.vet')
  @ApiOperation({ summary: '恢复已暂停的合作方（带版本号；留痕）' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiErrors(...VETTING_ERRORS)
  reinstate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: VetPartnerDto,
  ): Promise<PartnerDto> {
    return this.vetting.vet(principal, id, 'reinstate', dto);
  }

  @Get(':id/accounts')
  @ApiBearerAuth()
  @Authorize('partners.accounts')
  @ApiOperation({ summary: '本机构的账号（合作方账号可见；首个账号排在最前）' })
  @ApiOkResponse({ type: PartnerAccountListDto })
  @ApiErrors(
    PartnersErrorCode.PARTNER_NOT_FOUND,
    PartnersErrorCode.PARTNER_ACCOUNT_ADMIN_ONLY,
    AuthorizationErrorCode.NOT_OWNER,
  )
  listAccounts(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<PartnerAccountListDto> {
    return this.accounts.list(principal, id);
  }

  @Post(':id/accounts')
  @ApiBearerAuth()
  @Authorize('partners.accounts')
  @ApiOperation({ summary: '为本机构添加账号（仅首个账号；新账号首次登录须改密码；留痕）' })
  @ApiCreatedResponse({ type: PartnerAccountDto })
  @ApiErrors(
    PartnersErrorCode.PARTNER_NOT_FOUND,
    PartnersErrorCode.PARTNER_ACCOUNT_ADMIN_ONLY,
    PartnersErrorCode.PARTNER_NOT_APPROVED,
    PasswordErrorCode.PASSWORD_POLICY_VIOLATION,
    UsersErrorCode.USERNAME_TAKEN,
    UsersErrorCode.USER_PARTNER_NOT_FOUND,
    UsersErrorCode.PHONE_IN_USE,
    AuthorizationErrorCode.NOT_OWNER,
  )
  addAccount(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: PartnerAccountInputDto,
  ): Promise<PartnerAccountDto> {
    return this.accounts.add(principal, id, dto);
  }

  @Post(':id/accounts/:userId/disable')
  @HttpCode(200)
  @ApiBearerAuth()
  @Authorize('partners.accounts')
  @ApiOperation({ summary: '停用本机构的一个账号（仅首个账号；须写明原因；立即退出；留痕）' })
  @ApiOkResponse({ type: PartnerAccountDto })
  @ApiErrors(
    PartnersErrorCode.PARTNER_NOT_FOUND,
    PartnersErrorCode.PARTNER_ACCOUNT_ADMIN_ONLY,
    PartnersErrorCode.PARTNER_ACCOUNT_CANNOT_DISABLE_SELF,
    PartnersErrorCode.PARTNER_TEXT_CONTAINS_PERSONAL_DATA,
    UsersErrorCode.USER_NOT_FOUND,
    UsersErrorCode.USER_ALREADY_DISABLED,
    UsersErrorCode.USERNAME_TAKEN,
    UsersErrorCode.PHONE_IN_USE,
    AuthorizationErrorCode.NOT_OWNER,
  )
  disableAccount(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('userId', uuid) userId: string,
    @Body() dto: DisablePartnerAccountDto,
  ): Promise<PartnerAccountDto> {
    return this.accounts.disable(principal, id, userId, dto);
  }
}
