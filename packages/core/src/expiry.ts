/**
 * Reading the expiry fields of token replies, which every hosting environment spells its own
 * way: epoch seconds as a number or a string, or a US-style date string (Azure ML, older App
 * Service), with or without AM/PM (docs/protocol.md §3). Each reader is also an io-ts codec.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'

/** Epoch seconds or a seconds count, as a number or a numeric string. */
export const parseSeconds = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined
  return Number(value)
}

const DATE_FORM = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: ([AP]M))? \+00:00$/i

const toHour24 = (hour: number, meridiem: string | undefined): number | undefined => {
  if (meridiem === undefined) return hour <= 23 ? hour : undefined
  if (hour < 1 || hour > 12) return undefined
  return (hour % 12) + (meridiem === 'PM' ? 12 : 0)
}

/**
 * `M/D/YYYY H:MM:SS +00:00` (24-hour) or `M/D/YYYY h:MM:SS AM|PM +00:00`, in UTC, to epoch
 * milliseconds. Impossible dates (`2/30/2020`, `13:00:00 PM`) are refused, not rolled over.
 */
export const parseDateForm = (value: string): number | undefined => {
  const match = DATE_FORM.exec(value.trim())
  if (match === null) return undefined
  // the pattern has six numeric groups, so none of these defaults is ever used
  const [month = 0, day = 0, year = 0, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map(Number)
  const hour24 = toHour24(hour, match[7]?.toUpperCase())
  if (hour24 === undefined || minute > 59 || second > 59) return undefined
  const epoch = Date.UTC(year, month - 1, day, hour24, minute, second)
  const check = new Date(epoch)
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? epoch : undefined
}

/** `expires_on` in any accepted form, to epoch milliseconds. */
export const parseExpiresOn = (value: unknown): number | undefined => {
  const seconds = parseSeconds(value)
  if (seconds !== undefined) return seconds * 1000
  return typeof value === 'string' ? parseDateForm(value) : undefined
}

const codecOf = (name: string, read: (value: unknown) => number | undefined) =>
  new t.Type<number, unknown, unknown>(
    name,
    (u): u is number => typeof u === 'number',
    (u, c) => {
      const value = read(u)
      return value === undefined ? t.failure(u, c) : t.success(value)
    },
    t.identity,
  )

/** A count of seconds (`expires_in`, `refresh_in`): a number or a numeric string. */
export const Seconds = codecOf('Seconds', parseSeconds)

/** `expires_on`, decoded to epoch milliseconds from any of its accepted forms. */
export const ExpiresOn = codecOf('ExpiresOn', parseExpiresOn)
