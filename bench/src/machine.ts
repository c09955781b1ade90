/** The machine the figures come from, recorded next to them. */
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os'

export interface Machine {
  readonly cpuModel: string
  readonly cores: number
  readonly memoryBytes: number
  readonly os: string
  readonly node: string
  readonly date: string
  /** 1-minute load average when the bench started and when it ended: high means noisy figures. */
  readonly loadAverage: { start: number; end: number }
  /** How long the whole bench took, in seconds (the build before it not included). */
  readonly benchSeconds: number
}

export const describeMachine = (loadAtStart: number, benchSeconds: number): Machine => ({
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  cores: availableParallelism(),
  memoryBytes: totalmem(),
  os: `${platform()} ${release()}`,
  node: process.version,
  date: new Date().toISOString(),
  loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  benchSeconds,
})

export const currentLoad = (): number => loadavg()[0] ?? 0
