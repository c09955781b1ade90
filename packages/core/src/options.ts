/**
 * What sloppy JavaScript callers pass, checked before it is used (docs/protocol.md §1.3, §4):
 * the two constructor forms of `@azure/identity`, and every option's type. A wrong value is a
 * typed configuration error that names the option and says what to pass; never a `TypeError`,
 * and never a silent fall back to the system-assigned identity.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type InvalidConfiguration, invalidConfiguration } from './errors.js'

/** A check an option's value must pass. */
export type Check = (value: unknown) => boolean

/** An option, the check its value must pass, and what to pass instead (for the error). */
export type OptionRule = readonly [name: string, check: Check, expected: string]

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value)
const isString: Check = (value) => typeof value === 'string'
const isPositiveNumber: Check = (value) => typeof value === 'number' && value > 0 && !Number.isNaN(value)
const isCount: Check = (value) => Number.isInteger(value) && (value as number) >= 0
const isDelay: Check = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0
const isFunction: Check = (value) => typeof value === 'function'
const isEnvironment: Check = (value) =>
  isObject(value) && Object.values(value).every((each) => each === undefined || typeof each === 'string')
const isRetry: Check = (value) =>
  isObject(value) &&
  optional(isCount)(value.maxRetries) &&
  optional(isDelay)(value.initialDelayMs) &&
  optional(isDelay)(value.maxDelayMs)
const isCapabilityList: Check = (value) =>
  Array.isArray(value) && value.every((each) => typeof each === 'string' && /^[A-Za-z0-9_.-]+$/.test(each))
const isTracer: Check = (value) => isObject(value) && typeof value.startSpan === 'function'

/** Each option the core reads, the check it must pass, and what to pass instead. */
const OPTION_RULES: ReadonlyArray<OptionRule> = [
  ['clientId', optional(isString), 'the client id of a user-assigned identity, as a string'],
  ['objectId', optional(isString), 'the object id of a user-assigned identity, as a string'],
  ['resourceId', optional(isString), 'the resource id of a user-assigned identity, as a string'],
  ['env', optional(isEnvironment), 'an object of environment variables whose values are strings'],
  ['probe', optional((value) => typeof value === 'boolean'), 'true or false'],
  ['timeoutMs', optional(isPositiveNumber), 'a number of milliseconds above 0'],
  ['probeTimeoutMs', optional(isPositiveNumber), 'a number of milliseconds above 0'],
  ['deadlineMs', optional(isPositiveNumber), 'a number of milliseconds above 0'],
  [
    'retry',
    optional(isRetry),
    '{ maxRetries, initialDelayMs, maxDelayMs } with whole or non-negative numbers',
  ],
  ['logger', optional(isFunction), 'a function that receives log events'],
  ['tracer', optional(isTracer), 'an OpenTelemetry Tracer (an object with startSpan)'],
  ['clientCapabilities', optional(isCapabilityList), "an array of capability names, such as ['cp1']"],
  ['authorityHost', optional(isString), 'the Microsoft Entra ID authority host, as a string'],
]

/** The error for an option (or argument) `setting` that is not `expected`. */
export const wrongOption = (setting: string, expected: string): InvalidConfiguration =>
  invalidConfiguration({
    setting,
    message: `The ${setting} option is not valid: pass ${expected}.`,
  })

/** Whether each option of `rules` passes its check; the first that does not, as an error. */
const checkRules = (
  options: Record<string, unknown>,
  rules: ReadonlyArray<OptionRule>,
): E.Either<InvalidConfiguration, void> => {
  const wrong = rules.find(([name, check]) => !check(options[name]))
  return wrong === undefined ? E.right(undefined) : E.left(wrongOption(wrong[0], wrong[2]))
}

/** Whether every option the core reads has the right type; the first that does not, as an error. */
export const checkOptions = (options: Record<string, unknown>): E.Either<InvalidConfiguration, void> =>
  checkRules(options, OPTION_RULES)

/** An option that may be left out, or else must pass `check`. */
export const optionalOption = (check: Check): Check => optional(check)

/**
 * The options of `new ManagedIdentityCredential(first, second)`, in either of `@azure/identity`'s
 * forms: `(clientId, options?)` means `{ ...options, clientId }`; `(options?)` means the options.
 * Anything else is a configuration error, as is a client id given twice.
 */
export const credentialArguments = (
  first: unknown,
  second: unknown,
): E.Either<InvalidConfiguration, Record<string, unknown>> => {
  if (typeof first === 'string') {
    if (second !== undefined && !isObject(second)) return E.left(wrongOption('options', 'an options object'))
    const named = ['clientId', 'objectId', 'resourceId'].find((name) => second?.[name] !== undefined)
    if (named !== undefined)
      return E.left(
        wrongOption(
          named,
          'the identity once: a client id as the first argument, or an id in the options, not both',
        ),
      )
    return E.right({ ...second, clientId: first })
  }
  if (first === undefined) return E.right({})
  return isObject(first)
    ? E.right(first)
    : E.left(
        wrongOption(
          'options',
          'a client id string or an options object (new ManagedIdentityCredential("<client id>") or new ManagedIdentityCredential({ ... }))',
        ),
      )
}

/**
 * A shell's constructor arguments as options: either of `@azure/identity`'s forms
 * ({@link credentialArguments}), with the shell's own options checked against `rules` (the
 * core's are checked when the credential is made). A wrong one is a configuration error.
 */
export const shellArguments = (
  first: unknown,
  second: unknown,
  rules: ReadonlyArray<OptionRule>,
): E.Either<InvalidConfiguration, Record<string, unknown>> =>
  E.flatMap((options: Record<string, unknown>) => E.map(() => options)(checkRules(options, rules)))(
    credentialArguments(first, second),
  )

/** An `AbortSignal`, as far as the core uses one. */
export const isAbortSignalLike = (value: unknown): boolean =>
  isObject(value) &&
  typeof value.aborted === 'boolean' &&
  typeof value.addEventListener === 'function' &&
  typeof value.removeEventListener === 'function'

/** `getToken`'s options, checked: `undefined` or an object whose fields have the right types. */
export const checkTokenOptions = (options: unknown): E.Either<InvalidConfiguration, void> => {
  if (options === undefined) return E.right(undefined)
  if (!isObject(options)) return E.left(wrongOption('getToken options', 'an object, or nothing'))
  if (options.abortSignal !== undefined && !isAbortSignalLike(options.abortSignal))
    return E.left(wrongOption('abortSignal', 'an AbortSignal (for example AbortSignal.timeout(5000))'))
  if (!optional(isString)(options.claims))
    return E.left(wrongOption('claims', 'the claims of a CAE challenge, as a string'))
  const { requestOptions } = options
  if (
    requestOptions !== undefined &&
    !(isObject(requestOptions) && optional(isPositiveNumber)(requestOptions.timeout))
  )
    return E.left(wrongOption('requestOptions', '{ timeout } with a number of milliseconds above 0'))
  return E.right(undefined)
}
