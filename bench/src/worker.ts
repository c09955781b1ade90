/**
 * One measurement of one subject, run in a fresh process by `main.ts`:
 * `node dist/worker.js <measurement> <subject> [count]`. The hosting environment's variables
 * arrive in `process.env`. Prints one JSON line with the figures and exits.
 *
 * Requests are counted by the parent, which runs the emulator and sees every request that
 * reaches it while this process lives.
 */
import { type FloorId, floorRequest } from './floor.js'
import { type Credential, loadSubject, SCOPE, type SubjectId } from './subjects.js'

export type Measurement = 'cached' | 'cold' | 'burst' | 'scopes' | 'memory'

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

const run = async (measurement: Measurement, subject: SubjectId | FloorId, count: number) => {
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
    }
  } finally {
    credential.close?.()
  }
}

const [measurement, subject, count] = process.argv.slice(2)
const result = await run(measurement as Measurement, subject as SubjectId | FloorId, Number(count ?? 0))
// Pipes are written synchronously on Linux and macOS, so exiting at once loses nothing; it
// also stops a library's idle keep-alive sockets from holding the process.
process.stdout.write(`${JSON.stringify(result)}\n`)
process.exit(0)
