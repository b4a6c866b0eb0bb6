import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  EmulatorMissingError,
  emulatorClientConfig,
  startMotoServer,
} from '#test-support/emulator/moto-server.ts'

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
    await response.arrayBuffer()
    return true
  } catch {
    return false
  }
}

describe('startMotoServer', () => {
  it('serves on a private loopback port until stopped', async () => {
    const server = await startMotoServer()
    try {
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(await answers(`${server.endpoint}/moto-api/`)).toBe(true)
    } finally {
      await server.stop()
    }
    expect(await answers(`${server.endpoint}/moto-api/`)).toBe(false)
  })

  it('runs two servers side by side on different ports', async () => {
    const [first, second] = await Promise.all([startMotoServer(), startMotoServer()])
    try {
      expect(first.endpoint).not.toBe(second.endpoint)
    } finally {
      await Promise.all([first.stop(), second.stop()])
    }
  })

  it('stops idempotently', async () => {
    const server = await startMotoServer()
    await server.stop()
    await expect(server.stop()).resolves.toBeUndefined()
  })

  it('says how to install moto when moto_server is not on PATH', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'no-moto-'))
    const savedPath = process.env.PATH
    process.env.PATH = emptyDir
    try {
      const error = await startMotoServer().then(
        () => undefined,
        (caught: unknown) => caught,
      )
      expect(error).toBeInstanceOf(EmulatorMissingError)
      expect(error).toMatchObject({
        name: 'EmulatorMissingError',
        message: 'moto_server not found: pip install "moto[server]"',
      })
    } finally {
      process.env.PATH = savedPath
      rmSync(emptyDir, { recursive: true, force: true })
    }
  })
})

describe('emulatorClientConfig', () => {
  it('pins the endpoint, region and dummy credentials', () => {
    expect(emulatorClientConfig('http://127.0.0.1:5000')).toEqual({
      endpoint: 'http://127.0.0.1:5000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    })
  })
})
