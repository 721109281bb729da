import { OutboxEntity } from '../infra/outbox/outbox.entity';

/** Every TypeORM entity of the application, listed explicitly (no globs: same in ts-jest, swc and dist). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: Function[] = [OutboxEntity];
