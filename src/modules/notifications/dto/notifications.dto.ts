import { IsIn, IsOptional } from 'class-validator';
import { ApiDateTime, ApiEnum, ApiInt, ApiNested, ApiText, ApiUuid } from '../../../common/openapi/api-field';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import {
  NOTIFICATION_EVENTS,
  NOTIFICATION_REF_TYPES,
  type NotificationEvent,
  type NotificationRefType,
} from '../notification-events';

export class ListNotificationsQueryDto extends PaginationQueryDto {
  @ApiEnum(['true', 'false'], { optional: true, description: 'true：只列未读' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'unread 须为 true 或 false' })
  unread?: 'true' | 'false';
}

export class NotificationRefDto {
  @ApiEnum(NOTIFICATION_REF_TYPES) type!: NotificationRefType;
  @ApiUuid() id!: string;
}

export class NotificationDto {
  @ApiUuid() id!: string;
  @ApiEnum(NOTIFICATION_EVENTS, { enumName: 'NotificationEvent' }) event!: NotificationEvent;
  @ApiText() title!: string;
  @ApiText() body!: string;
  @ApiNested(() => NotificationRefDto, { nullable: true, description: '相关的记录（如对接、需求）' })
  ref!: NotificationRefDto | null;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime({ nullable: true }) readAt!: string | null;
}

export class NotificationPageDto {
  @ApiNested(() => NotificationDto, { isArray: true }) items!: NotificationDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

export class UnreadCountDto {
  @ApiInt({ description: '未读消息数' }) count!: number;
}

export class ReadAllResultDto {
  @ApiInt({ description: '本次标为已读的消息数' }) updated!: number;
}
