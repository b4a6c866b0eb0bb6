import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const TEMPLATE = fileURLToPath(new URL('../../../template.yaml', import.meta.url))
const MEMBER_TEMPLATE = fileURLToPath(new URL('../../../member-template.yaml', import.meta.url))
const LINT_TIMEOUT_MS = 120_000
const scratch = mkdtempSync(join(tmpdir(), 'cfn-lint-'))

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface LintResult {
  readonly status: number | null
  readonly output: string
}

/** Runs cfn-lint (it applies the SAM transform itself); a missing binary is a failure, never a skip. */
function runCfnLint(templatePath: string, env: NodeJS.ProcessEnv = process.env): LintResult {
  const result = spawnSync('cfn-lint', ['--format', 'parseable', '--', templatePath], {
    encoding: 'utf8',
    env,
  })
  if (result.error !== undefined) {
    const code = (result.error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new Error('cfn-lint not found: pip install cfn-lint')
    throw result.error
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() }
}

function writeVariant(name: string, edit: (text: string) => string): string {
  const original = readFileSync(TEMPLATE, 'utf8')
  const edited = edit(original)
  expect(edited).not.toBe(original)
  const path = join(scratch, name)
  writeFileSync(path, edited)
  return path
}

describe('cfn-lint', () => {
  it(
    'finds no errors and no warnings in template.yaml',
    () => {
      const result = runCfnLint(TEMPLATE)
      expect(result.output).toBe('')
      expect(result.status).toBe(0)
    },
    LINT_TIMEOUT_MS,
  )

  it(
    'finds no errors and no warnings in member-template.yaml',
    () => {
      const result = runCfnLint(MEMBER_TEMPLATE)
      expect(result.output).toBe('')
      expect(result.status).toBe(0)
    },
    LINT_TIMEOUT_MS,
  )

  it(
    'fails on an error in a variant of the template',
    () => {
      const broken = writeVariant('error.yaml', (text) =>
        text.replace('Runtime: nodejs22.x', 'Runtime: nodejs0.x'),
      )
      const result = runCfnLint(broken)
      expect(result.output).toMatch(/:E\d{4}:/)
      expect(result.status).not.toBe(0)
    },
    LINT_TIMEOUT_MS,
  )

  it(
    'fails on a warning alone (a redundant DependsOn)',
    () => {
      const permission = '  DetectInvokePermission:\n    Type: AWS::Lambda::Permission\n'
      const warned = writeVariant('warning.yaml', (text) =>
        text.replace(permission, `${permission}    DependsOn: DetectFunction\n`),
      )
      const result = runCfnLint(warned)
      expect(result.output).toMatch(/:W3005:/)
      expect(result.status).not.toBe(0)
    },
    LINT_TIMEOUT_MS,
  )

  it('reports a missing cfn-lint with the install command instead of skipping', () => {
    expect(() => runCfnLint(TEMPLATE, { ...process.env, PATH: scratch })).toThrow(
      'cfn-lint not found: pip install cfn-lint',
    )
  })
})
