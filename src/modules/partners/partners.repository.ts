import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { PartnerEntity } from './partner.entity';
import type { PartnerKind, PartnerStatus } from './partner.enums';

/** A partner with its unit loaded (the unit's path decides which staff see it). */
export type PartnerWithUnit = PartnerEntity & { orgUnit: OrgUnitEntity };

export type NewPartner = Pick<
  PartnerEntity,
  | 'id'
  | 'kind'
  | 'name'
  | 'creditCode'
  | 'orgUnitId'
  | 'contactName'
  | 'mobileCiphertext'
  | 'mobileBlindIndex'
  | 'regionCodes'
  | 'categories'
>;

export interface PartnerListCriteria {
  /** Partners whose unit lies in this subtree. */
  scopePath: string;
  status?: PartnerStatus;
  kind?: PartnerKind;
  q?: string;
  skip: number;
  take: number;
}

export interface VettingChange {
  status: PartnerStatus;
  statusReason: string | null;
  reviewedBy: string;
  reviewedAt: Date;
}

const CREDIT_CODE_UNIQUE = 'uq_partners_credit_code';

/** The only code that touches the partners table. */
@Injectable()
export class PartnersRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<PartnerEntity | null> {
    return manager.getRepository(PartnerEntity).findOne({ where: { id } });
  }

  findWithUnit(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PartnerWithUnit | null> {
    return manager
      .getRepository(PartnerEntity)
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.orgUnit', 'ou')
      .where('p.id = :id', { id })
      .getOne() as Promise<PartnerWithUnit | null>;
  }

  /** Reads and row-locks the partner until the transaction ends (its unit is read, not locked). */
  findWithUnitForUpdate(manager: EntityManager, id: string): Promise<PartnerWithUnit | null> {
    return manager
      .getRepository(PartnerEntity)
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.orgUnit', 'ou')
      .where('p.id = :id', { id })
      .setLock('pessimistic_write', undefined, ['p'])
      .getOne() as Promise<PartnerWithUnit | null>;
  }

  /** The unit's own `union` partner (one per unit, created with it). */
  findUnionPartnerOf(
    unitId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PartnerEntity | null> {
    return manager.getRepository(PartnerEntity).findOne({ where: { orgUnitId: unitId, kind: 'union' } });
  }

  async creditCodeTaken(manager: EntityManager, creditCode: string): Promise<boolean> {
    return (await manager.getRepository(PartnerEntity).countBy({ creditCode })) > 0;
  }

  /** Inserts a pending partner; 'credit_code_taken' when a concurrent registration won the unique index. */
  async insertPending(manager: EntityManager, partner: NewPartner): Promise<'credit_code_taken' | void> {
    try {
      await manager
        .createQueryBuilder()
        .insert()
        .into(PartnerEntity)
        .values({ ...partner, status: 'pending' })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error, CREDIT_CODE_UNIQUE)) return 'credit_code_taken';
      throw error;
    }
  }

  /** Applies a vetting decision to a locked row, moving its version. */
  async applyVetting(manager: EntityManager, id: string, change: VettingChange): Promise<void> {
    await manager.createQueryBuilder().update(PartnerEntity).set(change).where('id = :id', { id }).execute();
  }

  async list(criteria: PartnerListCriteria): Promise<{ rows: PartnerWithUnit[]; total: number }> {
    const qb = this.dataSource
      .getRepository(PartnerEntity)
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.orgUnit', 'ou')
      .where('ou.path LIKE :scope', { scope: `${escapeLike(criteria.scopePath)}%` });
    if (criteria.status) qb.andWhere('p.status = :status', { status: criteria.status });
    if (criteria.kind) qb.andWhere('p.kind = :kind', { kind: criteria.kind });
    if (criteria.q) {
      qb.andWhere('(p.name ILIKE :q OR p.creditCode ILIKE :q)', { q: `%${escapeLike(criteria.q)}%` });
    }
    const [rows, total] = await qb
      // Pending applications first (the reviewer's queue), oldest first; then by name.
      .orderBy(`CASE WHEN p.status = 'pending' THEN 0 ELSE 1 END`, 'ASC')
      .addOrderBy('p.createdAt', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .offset(criteria.skip)
      .limit(criteria.take)
      .getManyAndCount();
    return { rows: rows as PartnerWithUnit[], total };
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}
