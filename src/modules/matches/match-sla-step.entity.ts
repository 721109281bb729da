import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MatchEntity } from './match.entity';
import type { SlaStepName } from './rules/match-sla.rule';

/**
 * One SLA step done (issue 13 §4): a reminder at half time, the reminder and the escalation at the
 * deadline, the expiry at the hard limit, for one entry of a match into one state (`enteredAt` is the
 * match's state_changed_at then). The primary key is the claim: the delayed job and the daily sweeper
 * both insert … on conflict do nothing, and only the one whose row went in acts. Never updated.
 */
@Entity('match_sla_steps')
@Check('chk_match_sla_steps_step', `"step" IN ('remind-half','remind','escalate','expire')`)
export class MatchSlaStepEntity {
  @PrimaryColumn({ type: 'uuid' })
  matchId!: string;

  @ManyToOne(() => MatchEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'match_id', foreignKeyConstraintName: 'fk_match_sla_steps_match' })
  match?: MatchEntity;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  state!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  enteredAt!: Date;

  @PrimaryColumn({ type: 'varchar', length: 12 })
  step!: SlaStepName;

  /** Who acted: the step's delayed job or the daily sweep. */
  @Column({ type: 'varchar', length: 8 })
  doneBy!: 'job' | 'sweep';

  @Column({ type: 'timestamptz' })
  doneAt!: Date;
}
