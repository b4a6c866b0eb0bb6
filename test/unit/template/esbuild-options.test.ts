import { describe, expect, it } from 'vitest'
import { toEsbuildOptions } from '../../../scripts/build.ts'

const target = { logicalId: 'Fn', entryPoints: ['functions/fn/handler.ts'], outdir: 'dist/functions/Fn' }

describe('toEsbuildOptions', () => {
  it('applies every SAM build property', () => {
    const options = toEsbuildOptions(
      {
        EntryPoints: ['functions/fn/handler.ts'],
        Format: 'esm',
        Target: 'node22',
        Minify: false,
        Sourcemap: true,
        SourcesContent: 'false',
        MainFields: 'module, main',
        OutExtension: ['.js=.mjs'],
        Banner: ['js=const a = 1; const b = a === 1;'],
        External: ['@aws-sdk/*'],
        Loader: ['.txt=text'],
      },
      target,
    )
    expect(options).toEqual({
      entryPoints: ['functions/fn/handler.ts'],
      outdir: 'dist/functions/Fn',
      bundle: true,
      platform: 'node',
      treeShaking: true,
      format: 'esm',
      target: 'node22',
      minify: false,
      sourcemap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      outExtension: { '.js': '.mjs' },
      banner: { js: 'const a = 1; const b = a === 1;' },
      external: ['@aws-sdk/*'],
      loader: { '.txt': 'text' },
    })
  })

  it('takes the SAM defaults for absent properties', () => {
    const options = toEsbuildOptions({}, target)
    expect(options).toMatchObject({
      format: 'cjs',
      target: 'es2020',
      minify: true,
      sourcemap: false,
      external: [],
    })
    expect(options).not.toHaveProperty('banner')
    expect(options).not.toHaveProperty('outExtension')
    expect(options).not.toHaveProperty('mainFields')
  })

  it.each([
    [{ Splitting: true }, 'unsupported Splitting'],
    [{ Format: 'amd' }, "Format 'amd' is not one of"],
    [{ Minify: 'yes' }, 'Minify must be true or false'],
    [{ Target: ['node22'] }, 'Target must be a string'],
    [{ OutExtension: '.js=.mjs' }, 'OutExtension must be a list of strings'],
    [{ Banner: ['=x'] }, "'=x' is not KEY=VALUE"],
  ])('rejects %j naming the property', (props, message) => {
    expect(() => toEsbuildOptions(props, target)).toThrow(message)
  })

  it('rejects a function without entry points', () => {
    expect(() => toEsbuildOptions({}, { ...target, entryPoints: [] })).toThrow('EntryPoints is empty')
  })
})
