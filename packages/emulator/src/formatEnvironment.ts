/**
 * Environment variables as shell text, for `azmi emulate` to print and a shell to `eval`.
 *
 * @module
 */

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `value` in single quotes; a single quote inside becomes `'\''` (close, escaped quote, reopen). */
const singleQuoted = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`

/**
 * One `export NAME='value'` line per variable, in the record's order, each ending in a newline.
 * Throws a `RangeError` for a name a shell cannot assign or a value containing NUL, which no
 * environment variable can hold.
 *
 * @example
 * ```ts
 * formatEnvironment({ MSI_ENDPOINT: 'http://127.0.0.1:1234/x' }, 'sh')
 * // "export MSI_ENDPOINT='http://127.0.0.1:1234/x'\n"
 * ```
 */
export const formatEnvironment = (env: Readonly<Record<string, string>>, shell: 'sh'): string =>
  Object.entries(env)
    .map(([name, value]) => {
      if (!variableName.test(name))
        throw new RangeError(`Not a ${shell} variable name: ${JSON.stringify(name)}`)
      if (value.includes('\0')) throw new RangeError(`The value of ${name} contains NUL`)
      return `export ${name}=${singleQuoted(value)}\n`
    })
    .join('')
