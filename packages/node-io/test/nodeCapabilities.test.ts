import type { Capabilities, LogEvent } from '@azmi/core'
import { keyPair, readCert, resourcesPerTest } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'
import { nodeCapabilities, readRegularFile, sleep } from '../src/index.js'
import { get } from './support/requests.js'

const resources = resourcesPerTest()

describe('nodeCapabilities', () => {
  it('is a Capabilities bundle wired to the real effects', () => {
    const capabilities: Capabilities = nodeCapabilities()
    expect(capabilities.readFile).toBe(readRegularFile)
    expect(capabilities.sleep).toBe(sleep)
    expect(capabilities.now()).toBeGreaterThan(Date.UTC(2024, 0, 1))
    expect(capabilities.random()).toBeGreaterThanOrEqual(0)
    expect(capabilities.random()).toBeLessThan(1)
    expect(capabilities.platform.os).toBe(process.platform === 'linux' ? 'linux' : capabilities.platform.os)
    expect(capabilities).not.toHaveProperty('log')
  })

  it('passes the logger through', () => {
    const events: LogEvent[] = []
    const capabilities = nodeCapabilities({ log: (event) => events.push(event) })
    capabilities.log?.({ event: 'source-selected', source: 'Imds' })
    expect(events).toEqual([{ event: 'source-selected', source: 'Imds' }])
  })

  it('sends through a transport built from its options', async () => {
    const server = await resources.serve(
      (_request, response) => response.end('x'.repeat(20)),
      keyPair('server'),
    )
    const capabilities = nodeCapabilities({ ca: readCert('ca.pem'), maxResponseBytes: 10 })
    resources.defer(capabilities.close)
    await expect(capabilities.send(get(server.url), undefined)).resolves.toMatchObject({
      _tag: 'Left',
      left: { kind: 'response-too-large' },
    })
    expect(server.requests).toHaveLength(1)
  })
})
