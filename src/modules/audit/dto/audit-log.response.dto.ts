import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_OUTCOMES, AuditOutcome } from '../audit-log.entity';
import type { AuditLogListRow } from '../audit.repository';

export class AuditLogResponseDto {
  @ApiProperty({ description: '记录编号（递增，回滚的操作会留下空号）', example: '42' })
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

  @ApiProperty({ description: '是否已封存进哈希链（写入后通常一秒内封存）' })
  sealed!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: '哈希链上的位置（连续，从 1 起）；未封存时为 null',
    example: '42',
  })
  chainSeq!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: '链上前一节点的 hash（首个为 64 个 0）；未封存时为 null',
  })
  prevHash!: string | null;

  @ApiProperty({ type: String, nullable: true, description: '本节点的 hash；未封存时为 null' })
  hash!: string | null;

  static from(row: AuditLogListRow): AuditLogResponseDto {
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
      sealed: row.chainSeq !== null,
      chainSeq: row.chainSeq,
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
