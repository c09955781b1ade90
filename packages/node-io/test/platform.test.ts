import { describe, expect, it } from 'vitest'
import { nodePlatform } from '../src/index.js'

describe('nodePlatform', () => {
  it.each([
    ['linux', 'linux'],
    ['win32', 'win32'],
    ['darwin', 'other'],
    ['freebsd', 'other'],
  ] as const)('%s is %s', (os, expected) => {
    expect(nodePlatform(os, {})).toEqual({ os: expected })
  })

  it('carries %ProgramData% when set', () => {
    expect(nodePlatform('win32', { ProgramData: 'C:\\ProgramData' })).toEqual({
      os: 'win32',
      programData: 'C:\\ProgramData',
    })
  })

  it('treats an empty %ProgramData% as unset', () => {
    expect(nodePlatform('win32', { ProgramData: '' })).toEqual({ os: 'win32' })
  })

  it('describes the running process by default', () => {
    expect(nodePlatform().os).toBe(
      process.platform === 'linux' || process.platform === 'win32' ? process.platform : 'other',
    )
  })
})
