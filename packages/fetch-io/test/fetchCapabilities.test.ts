import { fileFailure } from '@azmi/core'
import { denoReadFile, fetchCapabilities, now, random, sleep } from '@azmi/fetch-io'
import { left } from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'

describe('fetchCapabilities', () => {
  it('wires the web clock, and says the platform is unknown unless told', () => {
    const capabilities = fetchCapabilities()
    expect(capabilities).toMatchObject({ now, sleep, random, platform: { os: 'other' } })
    expect('readFile' in capabilities).toBe(false)
    expect('log' in capabilities).toBe(false)
  })

  it('passes the platform, readFile and log it is given', () => {
    const log = () => undefined
    const capabilities = fetchCapabilities({ platform: { os: 'linux' }, readFile: denoReadFile, log })
    expect(capabilities.platform).toEqual({ os: 'linux' })
    expect(capabilities.readFile).toBe(denoReadFile)
    expect(capabilities.log).toBe(log)
  })

  it('sends with the injected fetch and its byte cap', async () => {
    const calls: string[] = []
    const capabilities = fetchCapabilities({
      fetch: async (input) => {
        calls.push((input as Request).url)
        return new Response('0123456789A')
      },
      maxResponseBytes: 10,
    })
    const reply = await capabilities.send(
      { method: 'GET', url: 'http://127.0.0.1:9/token', headers: {}, timeoutMs: 1000 },
      undefined,
    )
    expect(calls).toEqual(['http://127.0.0.1:9/token'])
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'response-too-large' } })
  })

  it('hands an injected readFile its failures unchanged', async () => {
    const refusing = async () => left(fileFailure('permission', 'not allowed'))
    const capabilities = fetchCapabilities({ readFile: refusing })
    await expect(capabilities.readFile?.('/x', 10)).resolves.toEqual(
      left(fileFailure('permission', 'not allowed')),
    )
  })
})
