// Every migration, in order. `npm run migration:generate -- Name` adds new ones here.
import { Init1795456985110 } from './1795456985110-Init';
import { SearchDocuments1795457301129 } from './1795457301129-SearchDocuments';
import { OrgUnitsAndUsers1795457900344 } from './1795457900344-OrgUnitsAndUsers';

export const MIGRATIONS = [Init1795456985110, SearchDocuments1795457301129, OrgUnitsAndUsers1795457900344];
