import { describe, expect, it } from 'vitest'
import { formatWholeNotification, wrap } from '#test-support/e2e/timeline.ts'

describe('formatWholeNotification', () => {
  const message = [
    '[HIGH] SUPPORT_ACCESS_LOST: SupportTeam lost required AWS Support access',
    '',
    'What the guard did (mode: enforce)',
    `  - aws iam update-assume-role-policy --role-name R --policy-document '${'{"Statement":[]}'.repeat(12)}'`,
  ].join('\n')

  it('prints the subject and every character of the message, none cut, within the timeline width', () => {
    const lines = formatWholeNotification({ subject: 'S', message, attributes: {} })
    expect(lines).toContain('    Subject: S')
    expect(lines).toContain('    What the guard did (mode: enforce)')
    expect(lines.join('').replaceAll(/\s/g, '')).toContain(message.replaceAll(/\s/g, ''))
    expect(lines.every((line) => line.length <= 118)).toBe(true)
    expect(lines.join('\n')).not.toContain('…')
  })
})

describe('wrap', () => {
  it('keeps every character of a word wider than the line', () => {
    const word = 'x'.repeat(25)
    const lines = wrap(`a ${word} b`, 10)
    expect(lines.every((line) => line.length <= 10)).toBe(true)
    expect(lines.join('').replaceAll(' ', '')).toBe(`a${word}b`)
  })
})
