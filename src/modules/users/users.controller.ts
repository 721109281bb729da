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
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQueryDto } from './dto/list-users.query.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { DisableUserDto, ResetPasswordDto, RevealUserFieldDto } from './dto/user-actions.dto';
import { RevealedUserFieldDto, UserPageDto, UserResponseDto } from './dto/user.response.dto';
import { UsersService } from './users.service';
import { ApiErrors } from '../../common/openapi/api-errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { PasswordErrorCode } from './password/password.errors';
import { UsersErrorCode } from './users.errors';

const uuid = new ParseUUIDPipe({ version: undefined });

/** Account administration (`admin` only; each administrator within its own unit's subtree). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Authorize('users.create')
  @ApiOperation({ summary: '新建账号（初始密码首次登录须修改）' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiErrors(
    AuthorizationErrorCode.OUT_OF_SCOPE,
    PasswordErrorCode.PASSWORD_POLICY_VIOLATION,
    UsersErrorCode.PHONE_IN_USE,
    UsersErrorCode.ROLE_CONFLICT,
    UsersErrorCode.USERNAME_TAKEN,
    UsersErrorCode.USER_AUDITOR_PROTECTED,
    UsersErrorCode.USER_EXPIRY_NOT_IN_FUTURE,
    UsersErrorCode.USER_NOT_FOUND,
    UsersErrorCode.USER_ORG_UNIT_LEVEL_INVALID,
    UsersErrorCode.USER_ORG_UNIT_NOT_FOUND,
    UsersErrorCode.USER_ORG_UNIT_REQUIRED,
    UsersErrorCode.USER_PARTNER_INVALID,
    UsersErrorCode.USER_PARTNER_NOT_FOUND,
    UsersErrorCode.USER_ROLES_INVALID,
  )
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return this.users.create(principal, dto);
  }

  @Get()
  @Authorize('users.list')
  @ApiOperation({ summary: '账号列表（本单位及下级单位；手机号已脱敏）' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE, UsersErrorCode.USER_ORG_UNIT_NOT_FOUND)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListUsersQueryDto): Promise<UserPageDto> {
    return this.users.list(principal, query);
  }

  @Get(':id')
  @Authorize('users.read')
  @ApiOperation({ summary: '账号详情（已脱敏；查看被记录）' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE, UsersErrorCode.USER_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<UserResponseDto> {
    return this.users.get(principal, id);
  }

  @Patch(':id')
  @Authorize('users.update')
  @ApiOperation({ summary: '修改账号（姓名、角色、单位、有效期、手机号；须带 version）' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(
    AuthorizationErrorCode.OUT_OF_SCOPE,
    UsersErrorCode.PHONE_IN_USE,
    UsersErrorCode.ROLE_CONFLICT,
    UsersErrorCode.USERNAME_TAKEN,
    UsersErrorCode.USER_AUDITOR_PROTECTED,
    UsersErrorCode.USER_CANNOT_CHANGE_OWN_EXPIRY,
    UsersErrorCode.USER_CANNOT_CHANGE_OWN_ROLES,
    UsersErrorCode.USER_CANNOT_MOVE_SELF,
    UsersErrorCode.USER_EXPIRY_NOT_IN_FUTURE,
    UsersErrorCode.USER_NOT_FOUND,
    UsersErrorCode.USER_ORG_UNIT_LEVEL_INVALID,
    UsersErrorCode.USER_ORG_UNIT_NOT_FOUND,
    UsersErrorCode.USER_ORG_UNIT_REQUIRED,
    UsersErrorCode.USER_PARTNER_INVALID,
    UsersErrorCode.USER_ROLES_INVALID,
    UsersErrorCode.USER_VERSION_CONFLICT,
  )
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponseDto> {
    return this.users.update(principal, id, dto);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Authorize('users.disable')
  @ApiOperation({ summary: '停用账号（立即注销其全部登录）' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(
    AuthorizationErrorCode.OUT_OF_SCOPE,
    UsersErrorCode.PHONE_IN_USE,
    UsersErrorCode.USERNAME_TAKEN,
    UsersErrorCode.USER_ALREADY_DISABLED,
    UsersErrorCode.USER_AUDITOR_PROTECTED,
    UsersErrorCode.USER_CANNOT_DISABLE_SELF,
    UsersErrorCode.USER_NOT_FOUND,
    UsersErrorCode.USER_REASON_HAS_PERSONAL_DATA,
  )
  disable(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: DisableUserDto,
  ): Promise<UserResponseDto> {
    return this.users.disable(principal, id, dto);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Authorize('users.enable')
  @ApiOperation({ summary: '启用账号' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(
    AuthorizationErrorCode.OUT_OF_SCOPE,
    UsersErrorCode.PHONE_IN_USE,
    UsersErrorCode.USERNAME_TAKEN,
    UsersErrorCode.USER_AUDITOR_PROTECTED,
    UsersErrorCode.USER_EXPIRED,
    UsersErrorCode.USER_NOT_DISABLED,
    UsersErrorCode.USER_NOT_FOUND,
  )
  enable(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<UserResponseDto> {
    return this.users.enable(principal, id);
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @Authorize('users.unlock')
  @ApiOperation({ summary: '解除登录锁定' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(
    AuthorizationErrorCode.OUT_OF_SCOPE,
    UsersErrorCode.PHONE_IN_USE,
    UsersErrorCode.USERNAME_TAKEN,
    UsersErrorCode.USER_AUDITOR_PROTECTED,
    UsersErrorCode.USER_NOT_FOUND,
    UsersErrorCode.USER_NOT_LOCKED,
  )
  unlock(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<UserResponseDto> {
    return this.users.unlock(principal, id);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @Authorize('users.reset-password')
  @ApiOperation({ summary: '重置密码（下次登录须修改；立即注销其全部登录）' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(
    AuthorizationErrorCode.OUT_OF_SCOPE,
    PasswordErrorCode.PASSWORD_POLICY_VIOLATION,
    UsersErrorCode.PHONE_IN_USE,
    UsersErrorCode.USERNAME_TAKEN,
    UsersErrorCode.USER_AUDITOR_PROTECTED,
    UsersErrorCode.USER_CANNOT_RESET_OWN_PASSWORD,
    UsersErrorCode.USER_NOT_FOUND,
  )
  resetPassword(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ResetPasswordDto,
  ): Promise<UserResponseDto> {
    return this.users.resetPassword(principal, id, dto);
  }

  @Post(':id/reveal')
  @HttpCode(200)
  @Authorize('users.reveal')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '查看一项未脱敏的个人信息（须填写原因；被记录）' })
  @ApiOkResponse({ type: RevealedUserFieldDto })
  @ApiErrors(
    AuthorizationErrorCode.OUT_OF_SCOPE,
    UsersErrorCode.USER_NOT_FOUND,
    UsersErrorCode.USER_REASON_HAS_PERSONAL_DATA,
  )
  reveal(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: RevealUserFieldDto,
  ): Promise<RevealedUserFieldDto> {
    return this.users.reveal(principal, id, dto);
  }
}
