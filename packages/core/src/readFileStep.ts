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

const reusable = (context: Running, step: ReadFile<unknown>): string | undefined => {
  const copy = context.files.get(step.path)
  const fresh = copy !== undefined && context.capabilities.now() - copy.readAt < step.reuseForMs
  return step.reuseForMs > 0 && fresh ? copy.text : undefined
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

/** Run one `ReadFile`. */
export const runReadFile = async <A>(
  context: Running,
  step: ReadFile<A>,
  progress: Progress,
): Promise<Progressed<A>> => {
  const reused = reusable(context, step)
  const readAt = context.capabilities.now()
  const result =
    reused === undefined
      ? await beforeTimeout(context, context.deadline - readAt, readAfresh(context, step))
      : E.right(reused)
  if (result === undefined) return { plan: failed(outOfTime(context)), progress }
  if (E.isLeft(result)) return { plan: step.next(result), progress }
  if (reused === undefined && step.reuseForMs > 0)
    context.files.set(step.path, { text: result.right, readAt })
  return { plan: step.next(result), progress: { ...progress, secrets: [...progress.secrets, result.right] } }
}
