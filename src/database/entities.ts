import { OutboxEntity } from '../infra/outbox/outbox.entity';
import { OrgUnitEntity } from '../modules/org-units/org-unit.entity';
import { UserEntity } from '../modules/users/user.entity';

/** Every TypeORM entity of the application, listed explicitly (no globs: same in ts-jest, swc and dist). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: Function[] = [OutboxEntity, OrgUnitEntity, UserEntity];
