/**
 * Running a `ReadFile` step: reuse a recent copy when the step allows, else read afresh under
 * the run's deadline (a read that never settles, a FIFO swapped in, fails the run in time);
 * whatever is read becomes a secret of the run (docs/protocol.md §2.4, §2.7).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type FileFailure, fileFailure } from './capabilities.js'
import { failed, type ReadFile } from './plan.js'
import { beforeTimeout, outOfTime, type Progress, type Progressed, type Running } from './running.js'

/** A copy that stands in for reading the file again, under the step's reuse rule. */
const recent = (context: Running, step: ReadFile<unknown>): string | undefined => {
  const copy = context.files.get(step.path)
  if (copy === undefined || step.reuse._tag !== 'Within') return undefined
  return context.capabilities.now() - copy.readAt < step.reuse.ms ? copy.text : undefined
}

const readAfresh = (context: Running, step: ReadFile<unknown>): Promise<E.Either<FileFailure, string>> => {
  const { readFile } = context.capabilities
  if (readFile === undefined)
    return Promise.resolve(E.left(fileFailure('unsupported', 'no readFile capability was provided')))
  return Promise.resolve()
    .then(() => readFile(step.path, step.maxBytes))
    .catch((error: unknown) =>
      E.left(fileFailure('other', error instanceof Error ? error.message : 'the read failed')),
    )
}

/** The text read afresh, or (`IfEmpty`) the last non-empty copy when the file is now empty. */
const withEarlierCopy = (context: Running, step: ReadFile<unknown>, text: string, readAt: number): string => {
  const empty = text.trim() === ''
  if (step.reuse._tag === 'IfEmpty' && empty) return context.files.get(step.path)?.text ?? text
  if (step.reuse._tag !== 'Never' && !empty) context.files.set(step.path, { text, readAt })
  return text
}

/** Run one `ReadFile`, within the deadline. */
export const runReadFile = async <A>(
  context: Running,
  step: ReadFile<A>,
  progress: Progress,
): Promise<Progressed<A>> => {
  const reused = recent(context, step)
  const readAt = context.capabilities.now()
  const result =
    reused === undefined
      ? await beforeTimeout(context, context.deadline - readAt, readAfresh(context, step))
      : E.right(reused)
  if (result === undefined) return { plan: failed(outOfTime(context)), progress }
  if (E.isLeft(result)) return { plan: step.next(result), progress }
  const text = reused ?? withEarlierCopy(context, step, result.right, readAt)
  const secrets = step.secret ? [...progress.secrets, text] : progress.secrets
  return { plan: step.next(E.right(text)), progress: { ...progress, secrets } }
}
