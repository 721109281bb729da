import { Global, Injectable, Module } from '@nestjs/common';
import { AppConfig } from '../../config';
import { Clock } from '../clock/clock';
import { calendarCoverage, calendarDays, chinaToday, type CalendarCoverage } from './china-calendar';

/**
 * The official holiday calendar as loaded at start (config/holidays.yml, validated by the config
 * check), for whoever counts working days and for the readiness check.
 */
@Injectable()
export class HolidayCalendar {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Whether this year's and (from 1 December) next year's holiday notices are loaded, on the China date
   * of `now` (default: the clock). `status: 'warn'` / `'fail'` carries Chinese `problems` to show.
   */
  coverage(now: Date = this.clock.now()): CalendarCoverage {
    return calendarCoverage(
      this.config.calendar.years.map((y) => y.year),
      chinaToday(now),
    );
  }

  /** Days off and make-up working days: the official years plus `archives.publicHolidays`/`makeUpWorkdays`. */
  days(): { holidays: string[]; makeUpWorkdays: string[] } {
    return calendarDays(this.config.calendar.years, this.config.archives);
  }
}

@Global()
@Module({ providers: [HolidayCalendar], exports: [HolidayCalendar] })
export class HolidayCalendarModule {}
