/**
 * The longest time a subject's event loop was blocked, measured inside the subject's own
 * process: `perf_hooks.monitorEventLoopDelay` at 1 ms resolution (a libuv timer due every
 * millisecond records how late each firing was, so the histogram's maximum is the longest
 * stretch in which nothing else could run, plus about the 1 ms resolution). The watch ends
 * at the first firing after the call settled: the work that settles it (parsing the last
 * reply, building and redacting the error) is one block that only that firing records.
 *
 * On a shared machine a process that is simply not scheduled looks blocked too. So a second
 * probe, a 1 ms interval, also reads the process's CPU time at every tick: the CPU time spent
 * inside the longest gap says how much of it was the process's own work (parsing, redaction, a
 * collection) rather than waiting for a core. The figure it gives, for each gap the lesser of
 * its length and the CPU time used in it, maximised over the gaps, cannot be inflated by
 * other processes (GC helper threads can add CPU time, never gap length).
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks'

/** What {@link watchEventLoop} measured. */
export interface EventLoopBlock {
  /** The longest block seen by `monitorEventLoopDelay`, in milliseconds. */
  readonly maxBlockMs: number
  /** The longest gap between interval ticks, counting only CPU time the process used in it. */
  readonly maxBlockCpuMs: number
  /** The longest gap between interval ticks, in wall time (a cross-check of `maxBlockMs`). */
  readonly maxTickGapMs: number
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 1))

/**
 * Waits until the histogram has recorded a firing after now. Not a fixed sleep: a JS timer
 * that is due together with the histogram's libuv timer runs first, so it could stop the
 * watch before the last block (the one that settles the call) is recorded.
 */
const nextFiring = async (histogram: IntervalHistogram) => {
  const seen = histogram.count
  for (let turns = 0; histogram.count <= seen && turns < 100; turns++) await turn()
}

/**
 * Starts watching and resolves once both probes have fired (the histogram records nothing
 * before its first firing); the function it gives stops, a timer turn later, with what was seen.
 */
export const watchEventLoop = async (): Promise<() => Promise<EventLoopBlock>> => {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  let lastAt = performance.now()
  let lastCpu = cpuMs()
  let maxBlockCpuMs = 0
  let maxTickGapMs = 0
  const tick = () => {
    const at = performance.now()
    const cpu = cpuMs()
    maxBlockCpuMs = Math.max(maxBlockCpuMs, Math.min(at - lastAt, cpu - lastCpu))
    maxTickGapMs = Math.max(maxTickGapMs, at - lastAt)
    lastAt = at
    lastCpu = cpu
  }
  const interval = setInterval(tick, 1)
  // Not `histogram.reset()`: it also forgets the last firing, so the next delay goes unrecorded.
  await nextFiring(histogram)
  return async () => {
    await nextFiring(histogram)
    tick()
    clearInterval(interval)
    histogram.disable()
    // The histogram is in nanoseconds.
    return { maxBlockMs: histogram.max / 1e6, maxBlockCpuMs, maxTickGapMs }
  }
}
