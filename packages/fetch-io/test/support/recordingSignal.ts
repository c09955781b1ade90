/** An `AbortSignalLike` over a real controller that records its listeners, to check none is left behind. */
import type { AbortSignalLike } from '@azmi/core'

export const recordingSignal = (controller: AbortController) => {
  const listeners = new Set<() => void>()
  const signal: AbortSignalLike = {
    get aborted() {
      return controller.signal.aborted
    },
    addEventListener: (type, listener, options) => {
      listeners.add(listener)
      controller.signal.addEventListener(type, listener, options)
    },
    removeEventListener: (type, listener) => {
      listeners.delete(listener)
      controller.signal.removeEventListener(type, listener)
    },
  }
  return { signal, listeners }
}
