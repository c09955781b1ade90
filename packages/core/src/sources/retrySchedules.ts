/**
 * Every source's retry schedule, as one table beside the one in docs/protocol.md §2.8: which
 * statuses and transport failures are retried, how often, and IMDS's 410 rule. The retry
 * function in `retry.ts` reads whichever a source names; the caller's `retry` option tunes it.
 *
 * @since 0.2.0
 */
import { type RetrySchedule, SERVER_ERRORS, standardRetrySchedule, TRANSIENT_FAILURES } from '../retry.js'

/** The retry schedule of each source. */
export const RETRY_SCHEDULES: {
  readonly [S in
    | 'Imds'
    | 'AppService'
    | 'ServiceFabric'
    | 'AzureArc'
    | 'AzureML'
    | 'CloudShell'
    | 'WorkloadIdentity']: RetrySchedule
} = {
  // 404, 408, 429, 5xx and transport failures, five times; a 410 ("back within 70 s") at most
  // every 10 s until 70 s have passed (§2.1)
  Imds: {
    ...standardRetrySchedule,
    maxRetries: 5,
    retryStatuses: [404, 408, 410, 429, ...SERVER_ERRORS],
    retryFailures: TRANSIENT_FAILURES,
    gone: { minDelayMs: 10_000, windowMs: 70_000 },
  },
  // like IMDS's without the 410 rule; a refused connection too (a Container Apps endpoint may
  // not listen yet when the app starts), and 404 or 410 when they carry `Retry-After` (§2.2)
  AppService: {
    ...standardRetrySchedule,
    maxRetries: 5,
    retryStatuses: [408, 429, ...SERVER_ERRORS],
    retryStatusesWithRetryAfter: [404, 410],
  },
  // 429 and 5xx, five times; a 404 is final: an unknown auth code, or no identity (§2.3)
  ServiceFabric: { ...standardRetrySchedule, maxRetries: 5, retryStatuses: [429, ...SERVER_ERRORS] },
  // the transient statuses every HTTP client retries
  AzureArc: standardRetrySchedule,
  AzureML: standardRetrySchedule,
  CloudShell: standardRetrySchedule,
  WorkloadIdentity: standardRetrySchedule,
}
