import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_OUTCOMES, AuditLogEntity, AuditOutcome } from '../audit-log.entity';

export class AuditLogResponseDto {
  @ApiProperty({ description: '链上序号（连续）', example: '42' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  actorUsername!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'staff' })
  actorKind!: string | null;

  @ApiProperty({ type: [String] })
  actorRoles!: string[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorOrgUnitId!: string | null;

  @ApiProperty({ example: 'auth.login' })
  action!: string;

  @ApiProperty({ type: String, nullable: true })
  targetType!: string | null;

  @ApiProperty({ type: String, nullable: true })
  targetId!: string | null;

  @ApiProperty({ enum: AUDIT_OUTCOMES })
  outcome!: AuditOutcome;

  @ApiProperty({ type: String, nullable: true })
  clientIp!: string | null;

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty({ type: Object, description: '代码、字段名、状态变化等（不含个人信息）' })
  details!: Record<string, unknown>;

  @ApiProperty({ description: '上一条记录的 hash（首条为 64 个 0）' })
  prevHash!: string;

  @ApiProperty()
  hash!: string;

  static from(row: AuditLogEntity): AuditLogResponseDto {
    return {
      id: row.id,
      occurredAt: row.occurredAt.toISOString(),
      actorId: row.actorId,
      actorUsername: row.actorUsername,
      actorKind: row.actorKind,
      actorRoles: row.actorRoles,
      actorOrgUnitId: row.actorOrgUnitId,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      outcome: row.outcome,
      clientIp: row.clientIp,
      requestId: row.requestId,
      details: row.details,
      prevHash: row.prevHash,
      hash: row.hash,
    };
  }
}

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditLogResponseDto] })
  items!: AuditLogResponseDto[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  page!: number;

  @ApiProperty()
  pageSize!: number;
}
