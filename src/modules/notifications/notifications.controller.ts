import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/openapi/api-errors';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import {
  ListNotificationsQueryDto,
  NotificationDto,
  NotificationPageDto,
  ReadAllResultDto,
  UnreadCountDto,
} from './dto/notifications.dto';
import { NotificationsErrorCode } from './notifications.errors';
import { NotificationsService } from './notifications.service';

/** 站内消息: every account reads and marks its own inbox only. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Authorize('notifications.inbox')
  @ApiOperation({ summary: '我的消息（最新在前；unread=true 只列未读）' })
  @ApiOkResponse({ type: NotificationPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<NotificationPageDto> {
    return this.notifications.list(principal, query);
  }

  @Get('unread-count')
  @Authorize('notifications.inbox')
  @ApiOperation({ summary: '我的未读消息数' })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadCount(@CurrentPrincipal() principal: Principal): Promise<UnreadCountDto> {
    return this.notifications.unreadCount(principal);
  }

  @Post('read-all')
  @HttpCode(200)
  @Authorize('notifications.inbox')
  @ApiOperation({ summary: '把我的消息全部标为已读' })
  @ApiOkResponse({ type: ReadAllResultDto })
  readAll(@CurrentPrincipal() principal: Principal): Promise<ReadAllResultDto> {
    return this.notifications.markAllRead(principal);
  }

  @Post(':id/read')
  @HttpCode(200)
  @Authorize('notifications.inbox')
  @ApiOperation({ summary: '把我的一条消息标为已读（他人的消息视为不存在）' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors(NotificationsErrorCode.NOTIFICATION_NOT_FOUND)
  read(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
  ): Promise<NotificationDto> {
    return this.notifications.markRead(principal, id);
  }
}
