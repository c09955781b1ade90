/**
 * Errors in the shape Microsoft Entra ID's token endpoint uses: an OAuth `error`, a
 * description that starts with the `AADSTS` code, and the trace fields clients log.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 * @module
 */
import { randomUUID } from 'node:crypto'
import { jsonReply, type Reply } from '../reply.js'

/** An Entra error: OAuth error name, AADSTS number and message. */
export const entraError = (status: number, error: string, aadsts: number, message: string): Reply => {
  const traceId = randomUUID()
  const correlationId = randomUUID()
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
  return jsonReply(status, {
    error,
    error_description: `AADSTS${aadsts}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  })
}

/** AADSTS900144: a required form field is missing. */
export const missingField = (name: string): Reply =>
  entraError(
    400,
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  )
