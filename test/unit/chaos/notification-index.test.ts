import { describe, expect, it } from 'vitest'
import { countDuplicateNotifications, countUnmarkedRepeats } from '#test-support/chaos/notification-index.ts'
import type { SnsNotification } from '#test-support/e2e/pipeline-trace.ts'

const message = (notificationId: string, possibleRepeat = false): SnsNotification => ({
  subject: 'x',
  message: 'y',
  attributes: { notificationId, ...(possibleRepeat ? { possibleRepeat: 'true' } : {}) },
})

describe('counting repeated notifications', () => {
  it('counts copies beyond the first, and notifications repeated without the mark', () => {
    const messages = [
      message('a'),
      message('a', true),
      message('b', true),
      message('b'),
      message('c'),
      message('c'),
      message('d'),
    ]
    expect(countDuplicateNotifications(messages)).toBe(3)
    // Only c went out twice unmarked: a and b each have one unmarked copy, whatever the order.
    expect(countUnmarkedRepeats(messages)).toBe(1)
  })
})
