// Every migration, in order. `npm run migration:generate -- Name` adds new ones here.
import { Init1795456985110 } from './1795456985110-Init';

export const MIGRATIONS = [Init1795456985110];
