import fc from 'fast-check'

/** Paths of every value inside a JSON value, containers included. */
export function listJsonPaths(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [[...prefix]]
  const children = Object.entries(value).flatMap(([key, child]) => listJsonPaths(child, [...prefix, key]))
  return [[...prefix], ...children]
}

/** A copy of `root` with the value at `path` replaced, or removed when `replacement` is undefined. */
export function replaceJsonAt(root: unknown, path: readonly string[], replacement: unknown): unknown {
  const [head, ...rest] = path
  if (head === undefined) return replacement
  if (Array.isArray(root)) {
    const copy: unknown[] = [...root]
    const index = Number(head)
    const next = replaceJsonAt(copy[index], rest, replacement)
    if (next === undefined) copy.splice(index, 1)
    else copy[index] = next
    return copy
  }
  if (typeof root !== 'object' || root === null) return root
  const copy: Record<string, unknown> = { ...root }
  const next = replaceJsonAt(copy[head], rest, replacement)
  if (next === undefined) delete copy[head]
  else copy[head] = next
  return copy
}

/**
 * Copies of `base` with one to three values replaced by arbitrary JSON or removed: inputs that
 * are almost right, which reach the checks deep inside a parser.
 */
export function mutationsOf(base: unknown): fc.Arbitrary<unknown> {
  const paths = listJsonPaths(base)
  const edit = fc.tuple(
    fc.constantFrom(...paths),
    fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  )
  return fc
    .array(edit, { minLength: 1, maxLength: 3 })
    .map((edits) =>
      edits.reduce<unknown>((value, [path, replacement]) => replaceJsonAt(value, path, replacement), base),
    )
}
