/**
 * The core tests' fast-check generators: `@azmi/testing`'s arbitraries under the names these
 * tests were written against (imported by path: see `fakes.ts`).
 */
import fc from 'fast-check'
import type { Either } from 'fp-ts/lib/Either.js'
import {
  anyEnvironment,
  endpointReply,
  endpointUrl,
  identityOptions as kitIdentityOptions,
  SAMPLE_ARC_KEY_PATH,
  SAMPLE_ENVIRONMENTS,
  SAMPLE_FILES,
  toOutcome,
} from '../../testing/src/index.js'
import type { Environment, HttpResponse, TransportFailure } from '../src/index.js'

export { secretValue } from '../../testing/src/index.js'

/** An endpoint URL: one the core accepts, or any web URL. */
export const endpointValue: fc.Arbitrary<string> = fc.oneof(endpointUrl(), fc.webUrl())

/** Any snapshot of the variables the core reads. */
export const environment: fc.Arbitrary<Environment> = anyEnvironment

/** Valid identity options: system-assigned, or one user-assigned id. */
export const identityOptions = kitIdentityOptions

/** One working environment per source, with the files its plan reads. */
export const SOURCE_ENVIRONMENTS = SAMPLE_ENVIRONMENTS
export const ARC_KEY_PATH = SAMPLE_ARC_KEY_PATH
export const SOURCE_FILES = SAMPLE_FILES

/**
 * What an endpoint may answer to one request: a token in some source's shape, any status
 * (some 401s carrying Arc's challenge to the sample key), a hostile body, or a transport failure.
 */
export const replyArbitrary: fc.Arbitrary<Either<TransportFailure, HttpResponse>> = endpointReply({
  arcChallengeRealm: ARC_KEY_PATH,
}).map(toOutcome)
