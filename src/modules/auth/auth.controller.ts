import { Body, Controller, Get, Header, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CommonErrorCode, DomainError } from '../../common/errors';
import { Authorize, CurrentPrincipal, Public } from './authorization/decorators';
import { PasswordChangeService } from './credentials/password-change.service';
import {
  ActivateTotpDto,
  ChangePasswordDto,
  LoginDto,
  LoginTotpDto,
  LogoutDto,
  RefreshDto,
} from './dto/auth.dto';
import {
  MeResponseDto,
  MfaChallengeResponseDto,
  TokenPairResponseDto,
  TotpActivationResponseDto,
  TotpEnrolmentResponseDto,
} from './dto/auth.response.dto';
import { LoginService } from './login/login.service';
import { MeService } from './me/me.service';
import type { Principal } from './principal';
import { RetryAfterInterceptor } from './rate-limit/retry-after.interceptor';
import { SessionsService } from './sessions/sessions.service';
import { TotpEnrolmentService } from './totp/totp-enrolment.service';
import { ApiErrors } from '../../common/openapi/api-errors';
import { AuditErrorCode } from '../audit/audit.errors';
import { AuthErrorCode } from './auth.errors';
import { PasswordErrorCode } from '../users/password/password.errors';

/** Everything here carries tokens or credentials: never cached anywhere. */
@ApiTags('auth')
@Controller()
@UseInterceptors(RetryAfterInterceptor)
@ApiExtraModels(TokenPairResponseDto, MfaChallengeResponseDto)
export class AuthController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly passwords: PasswordChangeService,
    private readonly totp: TotpEnrolmentService,
    private readonly me: MeService,
  ) {}

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: '登录：用户名 + 密码。已启用动态口令的账号返回 mfaToken，再调用 /auth/login/totp',
  })
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(TokenPairResponseDto) },
        { $ref: getSchemaPath(MfaChallengeResponseDto) },
      ],
    },
  })
  @ApiErrors(
    AuditErrorCode.AUDIT_WRITE_FAILED,
    AuthErrorCode.AUTH_LOGIN_FAILED,
    AuthErrorCode.AUTH_PARTNER_NOT_APPROVED,
    CommonErrorCode.RATE_LIMITED,
  )
  async loginWithPassword(@Body() dto: LoginDto): Promise<TokenPairResponseDto | MfaChallengeResponseDto> {
    const result = await this.login.login(dto.username, dto.password);
    if (result.mfaRequired) {
      return { mfaRequired: true, mfaToken: result.mfaToken, expiresIn: result.expiresIn };
    }
    return TokenPairResponseDto.from(result.tokens);
  }

  @Post('auth/login/totp')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '登录第二步：动态口令或恢复码' })
  @ApiOkResponse({ type: TokenPairResponseDto })
  @ApiErrors(
    AuditErrorCode.AUDIT_WRITE_FAILED,
    AuthErrorCode.AUTH_LOGIN_FAILED,
    AuthErrorCode.AUTH_MFA_INVALID,
    AuthErrorCode.AUTH_TOTP_INVALID,
    CommonErrorCode.RATE_LIMITED,
  )
  async loginWithTotp(@Body() dto: LoginTotpDto): Promise<TokenPairResponseDto> {
    if (dto.code !== undefined && dto.recoveryCode !== undefined) {
      throw new DomainError(CommonErrorCode.VALIDATION_FAILED, {
        fields: [{ field: 'recoveryCode', problems: ['动态口令与恢复码只能提供一个'] }],
      });
    }
    const factor = dto.code !== undefined ? { code: dto.code } : { recoveryCode: dto.recoveryCode! };
    return TokenPairResponseDto.from(await this.login.loginWithSecondFactor(dto.mfaToken, factor));
  }

  @Post('auth/refresh')
  @Public({ acceptsExpiredToken: true })
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '用刷新令牌换取新的访问令牌和刷新令牌（旧刷新令牌随即作废）' })
  @ApiOkResponse({ type: TokenPairResponseDto })
  @ApiErrors(
    AuditErrorCode.AUDIT_WRITE_FAILED,
    AuthErrorCode.AUTH_REFRESH_INVALID,
    AuthErrorCode.AUTH_SESSION_EXPIRED,
    AuthErrorCode.AUTH_TOKEN_REVOKED,
    CommonErrorCode.RATE_LIMITED,
  )
  async refresh(@Body() dto: RefreshDto): Promise<TokenPairResponseDto> {
    return TokenPairResponseDto.from(await this.sessions.refresh(dto.refreshToken));
  }

  @Post('auth/logout')
  @Authorize('auth.self')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '退出登录；everywhere=true 时退出所有设备' })
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() principal: Principal, @Body() dto: LogoutDto): Promise<void> {
    await this.sessions.logout(principal, dto.everywhere === true);
  }

  @Post('auth/password')
  @Authorize('auth.change-password')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改本人密码；其他会话全部失效，返回新的令牌' })
  @ApiOkResponse({ type: TokenPairResponseDto })
  @ApiErrors(AuthErrorCode.AUTH_CURRENT_PASSWORD_WRONG, PasswordErrorCode.PASSWORD_POLICY_VIOLATION)
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ChangePasswordDto,
  ): Promise<TokenPairResponseDto> {
    return TokenPairResponseDto.from(
      await this.passwords.change(principal, dto.currentPassword, dto.newPassword),
    );
  }

  @Post('auth/totp/enrol')
  @Authorize('auth.totp-enrol')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: '申请绑定动态口令：返回密钥和 otpauth 地址（尚未启用）' })
  @ApiOkResponse({ type: TotpEnrolmentResponseDto })
  @ApiErrors(AuthErrorCode.AUTH_TOTP_ALREADY_ENABLED)
  async enrolTotp(@CurrentPrincipal() principal: Principal): Promise<TotpEnrolmentResponseDto> {
    const enrolment = await this.totp.enrol(principal);
    return { secret: enrolment.secret, otpauthUrl: enrolment.otpauthUrl };
  }

  @Post('auth/totp/activate')
  @Authorize('auth.totp-enrol')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: '输入动态口令启用绑定；返回一次性恢复码（仅显示一次）' })
  @ApiOkResponse({ type: TotpActivationResponseDto })
  @ApiErrors(
    AuthErrorCode.AUTH_TOTP_ALREADY_ENABLED,
    AuthErrorCode.AUTH_TOTP_CODE_WRONG,
    AuthErrorCode.AUTH_TOTP_NOT_ENROLLED,
  )
  async activateTotp(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ActivateTotpDto,
  ): Promise<TotpActivationResponseDto> {
    return { recoveryCodes: await this.totp.activate(principal, dto.code) };
  }

  @Get('me')
  @Authorize('auth.self')
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前登录账号的资料（手机号已脱敏）' })
  @ApiOkResponse({ type: MeResponseDto })
  async profile(@CurrentPrincipal() principal: Principal): Promise<MeResponseDto> {
    return MeResponseDto.from(await this.me.profile(principal));
  }
}
