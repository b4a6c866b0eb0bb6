import type { Context } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { AsyncLambda, describeError } from '#test-support/chaos/async-lambda.ts'
import { EnvironmentPool } from '#test-support/chaos/environment-pool.ts'
import { BundleInvocationError, type BundleSet } from '#test-support/e2e/bundles.ts'

const FUNCTION = 'TestFunction'

/** A fake execution environment whose handler does what `run` says (called with the attempt's index). */
function fakeEnvironment(timeoutMs: number, run: (call: number, context: Context) => Promise<unknown>) {
  let calls = 0
  const environment: BundleSet = {
    functionIds: [FUNCTION],
    timeoutMs,
    async invoke(_functionId, _event, context) {
      if (!context) throw new Error('the delivery passes a context')
      const call = calls++
      try {
        return await run(call, context)
      } catch (error) {
        throw new BundleInvocationError(`${FUNCTION} failed`, { cause: error })
      }
    },
  }
  return environment
}

function lambdaOf(...environments: BundleSet[]): AsyncLambda {
  return new AsyncLambda(new Map([[FUNCTION, new EnvironmentPool(FUNCTION, environments)]]), {
    retryGapMs: 5,
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('AsyncLambda', () => {
  it('returns the result of a handler that succeeds', async () => {
    const lambda = lambdaOf(fakeEnvironment(50, async () => 'done'))
    const record = await lambda.deliver(FUNCTION, {})
    expect(record.result).toBe('done')
    expect(record.attempts).toHaveLength(1)
    expect(lambda.deadLetters).toEqual([])
  })

  it('retries a failed attempt only after its deadline, and succeeds on the third', async () => {
    const lambda = lambdaOf(
      fakeEnvironment(40, async (call) => {
        if (call < 2) throw new Error(`failure ${call}`)
        return 'third time'
      }),
    )
    const record = await lambda.deliver(FUNCTION, {})
    expect(record.result).toBe('third time')
    expect(record.attempts.map((attempt) => attempt.ok)).toEqual([false, false, true])
    const [first, second] = record.attempts
    expect((second?.startedAt ?? 0) - (first?.startedAt ?? 0)).toBeGreaterThanOrEqual(40)
    expect(first?.error).toBe('Error: failure 0')
  })

  it('sends the event to the dead-letter queue after three failed attempts', async () => {
    const lambda = lambdaOf(
      fakeEnvironment(20, async () => {
        throw new TypeError('always')
      }),
    )
    const record = await lambda.deliver(FUNCTION, { id: 'e1' })
    expect(record.attempts).toHaveLength(3)
    expect(record.deadLetter).toEqual({
      functionId: FUNCTION,
      event: { id: 'e1' },
      attempts: 3,
      lastError: 'TypeError: always',
    })
    expect(lambda.deadLetters).toEqual([record.deadLetter])
  })

  it('counts a handler still running at its timeout as failed, and retries once it has settled', async () => {
    let settledAt = 0
    const lambda = lambdaOf(
      fakeEnvironment(30, async (call) => {
        if (call === 0) {
          await sleep(120)
          settledAt = Date.now()
        }
        return call
      }),
    )
    const record = await lambda.deliver(FUNCTION, {})
    expect(record.attempts[0]).toMatchObject({ ok: false, timedOut: true })
    expect(record.attempts[1]?.startedAt).toBeGreaterThanOrEqual(settledAt)
    expect(record.result).toBe(1)
  })

  it('gives each invocation a context counting down from the timeout', async () => {
    let remaining = -1
    const lambda = lambdaOf(
      fakeEnvironment(1000, async (_call, context) => {
        remaining = context.getRemainingTimeInMillis()
      }),
    )
    await lambda.deliver(FUNCTION, {})
    expect(remaining).toBeGreaterThan(900)
    expect(remaining).toBeLessThanOrEqual(1000)
  })

  it('runs one invocation at a time per environment', async () => {
    let running = 0
    let most = 0
    const lambda = lambdaOf(
      fakeEnvironment(500, async () => {
        running++
        most = Math.max(most, running)
        await sleep(10)
        running--
      }),
    )
    await Promise.all([
      lambda.deliver(FUNCTION, {}),
      lambda.deliver(FUNCTION, {}),
      lambda.deliver(FUNCTION, {}),
    ])
    expect(most).toBe(1)
    expect(lambda.deliveries).toHaveLength(3)
  })

  it('rejects a function without environments', async () => {
    await expect(lambdaOf(fakeEnvironment(10, async () => 0)).deliver('Other', {})).rejects.toThrow(
      'no execution environments loaded for Other',
    )
  })
})

describe('describeError', () => {
  it("names the handler's error and its innermost cause", () => {
    const root = new Error('socket hang up')
    root.name = 'TimeoutError'
    const handler = new Error('Failed to update success record', {
      cause: new Error('middle', { cause: root }),
    })
    handler.name = 'IdempotencyPersistenceLayerError'
    expect(describeError(new BundleInvocationError('wrapped', { cause: handler }))).toBe(
      'IdempotencyPersistenceLayerError: Failed to update success record (cause: TimeoutError: socket hang up)',
    )
    expect(describeError('text')).toBe('text')
  })
})
