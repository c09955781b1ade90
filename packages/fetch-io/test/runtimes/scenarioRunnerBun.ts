/**
 * The scenario runner for Bun: the same as {@link ./scenarioRunner.ts}, plus the Bun file
 * adapter from fetch-io's separate `bun` entry (it imports `node:fs/promises`).
 */
export { bunReadFile } from '../../src/bun.js'
export * from './scenarioRunner.js'
