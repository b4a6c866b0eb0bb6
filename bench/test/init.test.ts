import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { listTemplateFunctions, parseTemplate } from '#test-support/template/template.ts'
import { bareEntrySource, functionEnvironment, listSdkImports } from '../lib/init.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
mkdirSync(join(ROOT, 'dist'), { recursive: true })
const work = mkdtempSync(join(ROOT, 'dist', '.bench-init-test-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('listSdkImports', () => {
  it('finds each imported or required @aws-sdk package once, sorted', () => {
    const bundle =
      'import{IAMClient as a}from"@aws-sdk/client-iam";import{x as b}from"@aws-sdk/lib-dynamodb";' +
      'const c=require("@aws-sdk/util-dynamodb");import("@aws-sdk/client-iam");const d="@smithy/core";'
    expect(listSdkImports(bundle)).toEqual([
      '@aws-sdk/client-iam',
      '@aws-sdk/lib-dynamodb',
      '@aws-sdk/util-dynamodb',
    ])
  })
})

describe('bareEntrySource', () => {
  it('creates each client once, wraps DynamoDB in the document client and only loads other packages', () => {
    const source = bareEntrySource([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-iam',
      '@aws-sdk/lib-dynamodb',
      '@aws-sdk/util-dynamodb',
    ])
    expect(source).toContain("import '@aws-sdk/util-dynamodb'")
    expect(source).toContain(
      'const clients = [new IAMClient({}), DynamoDBDocumentClient.from(new DynamoDBClient({}))]',
    )
  })

  it('imports the DynamoDB client the document client needs when the bundle does not', () => {
    const source = bareEntrySource(['@aws-sdk/lib-dynamodb'])
    expect(source).toContain("import { DynamoDBClient } from '@aws-sdk/client-dynamodb'")
  })

  it('bundles into a module whose handler runs with the SDK external', async () => {
    const dir = join(work, 'bare')
    mkdirSync(dir, { recursive: true })
    const entry = join(dir, 'entry.js')
    writeFileSync(
      entry,
      bareEntrySource(['@aws-sdk/client-eventbridge', '@aws-sdk/client-iam', '@aws-sdk/lib-dynamodb']),
    )
    const outfile = join(dir, 'handler.mjs')
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    })
    const module: { handler: () => Promise<number> } = await import(pathToFileURL(outfile).href)
    await expect(module.handler()).resolves.toBe(3)
  })
})

describe('functionEnvironment', () => {
  const template = parseTemplate(`
Parameters:
  OrganizationId:
    Type: String
    Default: ''
Globals:
  Function:
    Environment:
      Variables:
        NODE_OPTIONS: --enable-source-maps
Resources:
  DetectFunction:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          GUARD_CONFIG: !Ref GuardConfig
          FINDINGS_BUS_NAME: !Ref FindingsBus
          POWERTOOLS_SERVICE_NAME: support-guard
          ORGANIZATION_ID: !Ref OrganizationId
`)

  it('keeps literal values, takes parameter defaults, replaces other intrinsics with dummies and adds the Lambda region', () => {
    const [fn] = listTemplateFunctions(template)
    if (fn === undefined) throw new Error('no function in the template')
    expect(functionEnvironment(template, fn)).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      GUARD_CONFIG: '{}',
      FINDINGS_BUS_NAME: 'bench-findings-bus-name',
      POWERTOOLS_SERVICE_NAME: 'support-guard',
      ORGANIZATION_ID: '',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    })
  })
})
