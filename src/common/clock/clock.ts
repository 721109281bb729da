import { Injectable } from '@nestjs/common';

/**
 * The time, injectable so that rules with deadlines (lockouts, idle timeouts, notice periods, expiries)
 * can be tested by moving a clock instead of waiting. Inject `Clock`; tests provide `FakeClock`.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until told to move. */
export class FakeClock extends Clock {
  private current: Date;

  constructor(start: Date | string = '2026-03-02T09:00:00+08:00') {
    super();
    this.current = new Date(start);
  }

  override now(): Date {
    return new Date(this.current);
  }

  set(time: Date | string): void {
    this.current = new Date(time);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
