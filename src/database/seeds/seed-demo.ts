import type { DataSource } from 'typeorm';
import { calendarDays } from '../../common/calendar/china-calendar';
import type { FieldCipher } from '../../common/crypto/field-cipher';
import type { AppConfig } from '../../config';
import { workingCalendar } from '../../modules/archives/workflow/working-days.rule';
import { MenuRepository } from '../../modules/menu/menu.repository';
import { seededItem } from '../../modules/menu/menu.service';
import { seedDemoAccounts } from './demo-accounts.seed';
import { type DemoArchivesResult, seedDemoArchives } from './demo-archives.seed';
import { type DemoNeedsResult, seedDemoNeeds } from './demo-needs.seed';
import { type DemoOffersResult, seedDemoOffers } from './demo-offers.seed';
import { seedDemoPartners } from './demo-partners.seed';
import { seedDibaoLines } from './dibao-lines.seed';
import { seedDemoOrgTree } from './org-tree.seed';

export interface DemoSeedResult {
  units: number;
  /** Demo partner organisations created by this run. */
  partners: number;
  /** Usernames created by this run (none when they existed). */
  accounts: string[];
  dibaoLines: number;
  archives: DemoArchivesResult;
  needs: DemoNeedsResult;
  offers: DemoOffersResult;
}

/**
 * The whole demo world in one transaction: the union tree, the partner organisations, one account per
 * role, the 低保 lines, the demo archives, the needs ordered from them and the partners' offers. Idempotent. The menu is
 * written from config/menu.yml first (as the app does at start), since the needs order its items. Used by `npm run seed:demo` and by the API benchmark (on its scratch
 * database), so both show the same world.
 */
export async function seedDemo(
  dataSource: DataSource,
  config: AppConfig,
  deps: { hash: (password: string) => Promise<string>; cipher: FieldCipher; now: Date },
): Promise<DemoSeedResult> {
  const days = calendarDays(config.calendar.years, config.archives);
  return dataSource.transaction(async (manager) => {
    const tree = await seedDemoOrgTree(manager);
    await new MenuRepository(dataSource).upsertSeeded(manager, config.menu.items.map(seededItem));
    return {
      units: Object.keys(tree).length,
      // Before the accounts: the partner accounts belong to them.
      partners: await seedDemoPartners(manager, tree, deps),
      accounts: await seedDemoAccounts(manager, tree, deps),
      // Before any demo archive: their categories are checked against these lines.
      dibaoLines: await seedDibaoLines(manager),
      // Last: the workflow steps name the demo staff as actors.
      archives: await seedDemoArchives(manager, tree, {
        cipher: deps.cipher,
        now: deps.now,
        marginalMultiple: config.archives.marginalMultiple,
        excludedIncomeKinds: config.archives.excludedIncomeKinds,
        publicNoticeWorkingDays: config.archives.publicNoticeWorkingDays,
        calendar: workingCalendar(days.holidays, days.makeUpWorkdays),
      }),
      needs: await seedDemoNeeds(manager, { now: deps.now }),
      offers: await seedDemoOffers(manager, tree, deps),
    };
  });
}
