import { isCalendarDate } from "../certificates/schema";
import { InputError } from "../errors";

/** The last second of the year 9999: no time a person means lies beyond it, and every contract field holds it. */
const LATEST_TIME = 253_402_300_799;

/** A day that exists, as YYYY-MM-DD, to Unix seconds at its start (UTC): 2031-02-30 is refused, never rolled over. */
export function parseDate(value: string, option: string): number {
  if (!isCalendarDate(value)) throw new InputError(`${option} must be a date that exists (YYYY-MM-DD), not "${value}".`);
  return Date.parse(`${value}T00:00:00Z`) / 1000;
}

/** Unix seconds, or an ISO date-time whose day exists, to Unix seconds. */
export function parseTime(value: string, option: string): number {
  if (/^\d+$/.test(value)) {
    const seconds = Number(value);
    if (seconds > LATEST_TIME) throw new InputError(`${option} ${value} is not a time: as Unix seconds it lies past the year 9999.`);
    return seconds;
  }
  const day = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
  const ms = day && isCalendarDate(day[1]) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new InputError(`${option} must be an ISO date-time that exists or Unix seconds, not "${value}".`);
  return Math.floor(ms / 1000);
}

/** A TCP port: a whole number from 1 to 65535 (0 asks the system for a free one). */
export function parsePort(value: string, option: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InputError(`${option} must be a port number from 0 to 65535, not "${value}".`);
  return port;
}
