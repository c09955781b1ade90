/**
 * `AZURE_AUTHORITY_HOST` as workload identity uses it: the Microsoft Entra ID authority the
 * federated token is exchanged at. Tokens travel to it, so only `https` is accepted.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { parseEndpoint } from '../environment.js'
import { type InvalidConfiguration, invalidConfiguration } from '../errors.js'

/** No scheme → `https://`; trailing `/` and spaces trimmed; any scheme but `https` refused. */
export const parseAuthorityHost = (value: string): E.Either<InvalidConfiguration, string> => {
  const trimmed = value.trim().replace(/[\s/]+$/, '')
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`
  if (!withScheme.toLowerCase().startsWith('https://')) {
    return E.left(
      invalidConfiguration({
        setting: 'AZURE_AUTHORITY_HOST',
        source: 'WorkloadIdentity',
        message:
          'AZURE_AUTHORITY_HOST must use https: the federated token is sent to it. Use e.g. "https://login.microsoftonline.com".',
      }),
    )
  }
  return pipe(
    parseEndpoint('AZURE_AUTHORITY_HOST', withScheme, 'WorkloadIdentity'),
    E.flatMap((url) =>
      url.includes('?')
        ? E.left(
            invalidConfiguration({
              setting: 'AZURE_AUTHORITY_HOST',
              source: 'WorkloadIdentity',
              message: 'AZURE_AUTHORITY_HOST must not contain a query string.',
            }),
          )
        : E.right(url.replace(/\/+$/, '')),
    ),
  )
}
