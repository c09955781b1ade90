/**
 * One measurement of one subject, run in a fresh process by `main.ts`:
 * `node dist/worker.js <measurement> <subject> [count] [scopeCount] [capMs]`. The hosting
 * environment's variables arrive in `process.env`. Prints one JSON line with the figures and
 * exits. `spread` is `count` concurrent calls over `scopeCount` scopes and `blocked` one call
 * under an event-loop watch; both report what they have after `capMs`.
 *
 * Requests are counted by the parent, which runs the emulator and sees every request that
 * reaches it while this process lives.
 */
import { watchEventLoop } from './eventLoopBlock.js'
import { type FloorId, floorRequest } from './floor.js'
import { type Credential, loadSubject, SCOPE, type SubjectId } from './subjects.js'

export type Measurement = 'cached' | 'cold' | 'burst' | 'scopes' | 'memory' | 'spread' | 'blocked'

/** The scope of a call made only to warm the credential up. */
const WARM_UP_SCOPE = 'https://bench-warm-up.example.com/.default'

const token = async (credential: Credential, scope = SCOPE) => {
  const reply = await credential.getToken(scope)
  if (reply === null || reply.token === '') throw new Error('getToken resolved without a token')
  return reply
}

/** Sequential cached calls, 1,000 at a time, until `ms` have passed; calls per second. */
const callFor = async (credential: Credential, ms: number) => {
  let calls = 0
  let elapsed = 0
  const start = performance.now()
  while (elapsed < ms) {
    for (let i = 0; i < 1_000; i++) await credential.getToken(SCOPE)
    calls += 1_000
    elapsed = performance.now() - start
  }
  return { callsPerSecond: (calls / elapsed) * 1000, calls, ms: elapsed }
}

/**
 * Cached calls per second over `windowMs`, after the first token and a warm-up of as long:
 * the rate keeps climbing for a few hundred milliseconds (JIT tiers, heap sizing).
 */
const cached = async (credential: Credential, windowMs: number) => {
  await token(credential)
  await callFor(credential, windowMs)
  return callFor(credential, windowMs)
}

/**
 * A new credential's first token in a fresh process (the library already imported), with the
 * CPU time it took: less disturbed than elapsed time when other work shares the machine.
 */
const cold = async (newCredential: () => Credential) => {
  const constructStart = performance.now()
  const credential = newCredential()
  const constructMs = performance.now() - constructStart
  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  await token(credential)
  const firstTokenMs = performance.now() - start
  const cpu = process.cpuUsage(cpuBefore)
  credential.close?.()
  return { constructMs, firstTokenMs, firstTokenCpuMs: (cpu.user + cpu.system) / 1000 }
}

/** The stable `code` of what a call rejected with (azmi's errors have one), else its name. */
const outcomeOf = (reason: unknown): string => {
  const { code, name } = (reason ?? {}) as { code?: unknown; name?: unknown }
  return typeof code === 'string' ? code : typeof name === 'string' ? name : 'unknown'
}

/** `count` concurrent calls on a fresh credential, over `scopeCount` scopes; time to settle. */
const concurrent = async (credential: Credential, count: number, scopeCount: number) => {
  const scopes = Array.from({ length: scopeCount }, (_, i) =>
    scopeCount === 1 ? SCOPE : `https://bench-${i}.example.com/.default`,
  )
  const start = performance.now()
  const settled = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => token(credential, scopes[i % scopeCount])),
  )
  const settleMs = performance.now() - start
  const rejected = settled.filter((each) => each.status === 'rejected')
  const firstError = rejected[0]?.status === 'rejected' ? String(rejected[0].reason).slice(0, 300) : undefined
  return { settleMs, fulfilled: count - rejected.length, rejected: rejected.length, firstError }
}

/** `token` when every call got one, else the first failure's code (and how many failed). */
const outcomeOfAll = (count: number, reasons: ReadonlyArray<unknown>): string => {
  if (reasons.length === 0) return 'token'
  const code = outcomeOf(reasons[0])
  return count === 1 ? code : `${code} in ${reasons.length} of ${count} calls`
}

/**
 * `concurrent` for the scenarios, where a subject may never settle: after `capMs` the figures
 * so far are reported with `capped: 1` and the calls still open in `open`; `outcome` is
 * `token`, the code of the first call that failed, or `capped`.
 */
const concurrentWithin = async (credential: Credential, count: number, scopeCount: number, capMs: number) => {
  const scopes = Array.from({ length: scopeCount }, (_, i) =>
    scopeCount === 1 ? SCOPE : `https://bench-${i}.example.com/.default`,
  )
  let fulfilled = 0
  const reasons: unknown[] = []
  const start = performance.now()
  const calls = Promise.all(
    Array.from({ length: count }, (_, i) =>
      token(credential, scopes[i % scopeCount]).then(
        () => void fulfilled++,
        (reason: unknown) => void reasons.push(reason),
      ),
    ),
  )
  let timer: NodeJS.Timeout | undefined
  const cap = new Promise<'capped'>((resolve) => {
    timer = setTimeout(() => resolve('capped'), capMs)
  })
  const capped = (await Promise.race([calls, cap])) === 'capped'
  clearTimeout(timer)
  const settleMs = performance.now() - start
  const [reason] = reasons
  return {
    settleMs,
    fulfilled,
    rejected: reasons.length,
    open: count - fulfilled - reasons.length,
    capped: capped ? 1 : 0,
    outcome: capped ? 'capped' : outcomeOfAll(count, reasons),
    firstError: reason === undefined ? undefined : String(reason).slice(0, 300),
  }
}

/**
 * One call, with the longest event-loop block from the call until it settles. A first token
 * (for another scope) comes before, so that what is measured is the handling of the reply,
 * not the loading and compiling every first call pays (row 2 measures that).
 */
const blocked = async (credential: Credential, capMs: number) => {
  await token(credential, WARM_UP_SCOPE)
  const stop = await watchEventLoop()
  const result = await concurrentWithin(credential, 1, 1, capMs)
  return { ...result, ...(await stop()) }
}

/**
 * The heap in use after full collections. Several, with a turn of the event loop between
 * them (so finalizers and closing handles run), not one: V8 also drops the bytecode of
 * functions unused for a few collections, which would otherwise read as a shrinking heap.
 */
const collect = async () => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with --expose-gc')
  for (let i = 0; i < 10; i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return process.memoryUsage().heapUsed
}

/** Heap in use after full collections, before and after `calls` sequential cached calls. */
const memory = async (credential: Credential, calls: number) => {
  await token(credential)
  await callFor(credential, 1_000)
  const before = await collect()
  const start = performance.now()
  for (let i = 0; i < calls; i++) await credential.getToken(SCOPE)
  const ms = performance.now() - start
  const after = await collect()
  return { heapBeforeBytes: before, heapAfterBytes: after, growthBytes: after - before, calls, ms }
}

/** What a run is told: how many calls, over how many scopes, and for how long at most. */
interface Calls {
  readonly count: number
  readonly scopeCount: number
  readonly capMs: number
}

const run = async (measurement: Measurement, subject: SubjectId | FloorId, calls: Calls) => {
  const { count } = calls
  if (subject === 'floor-http' || subject === 'floor-fetch') return floorRequest(subject)
  const newCredential = await loadSubject(subject)
  if (measurement === 'cold') return cold(newCredential)
  const credential = newCredential()
  try {
    switch (measurement) {
      case 'cached':
        return await cached(credential, count)
      case 'burst':
        return await concurrent(credential, count, 1)
      case 'scopes':
        return await concurrent(credential, count, 100)
      case 'memory':
        return await memory(credential, count)
      case 'spread':
        return await concurrentWithin(credential, count, calls.scopeCount, calls.capMs)
      case 'blocked':
        return await blocked(credential, calls.capMs)
    }
  } finally {
    credential.close?.()
  }
}

const [measurement, subject, count, scopeCount, capMs] = process.argv.slice(2)
const result = await run(measurement as Measurement, subject as SubjectId | FloorId, {
  count: Number(count ?? 0),
  scopeCount: Number(scopeCount ?? 1),
  capMs: Number(capMs ?? 120_000),
})
// Pipes are written synchronously on Linux and macOS, so exiting at once loses nothing; it
// also stops a library's idle keep-alive sockets from holding the process.
process.stdout.write(`${JSON.stringify(result)}\n`)
process.exit(0)
