import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { InputFileError, UsageError } from './errors.ts'
import { describeReadError } from './read-json.ts'

/** The organisation file's name in a directory of exports (`snapshot --org --out DIR` writes it). */
export const ORGANIZATION_FILE = 'organization.json'

/** The exports an audit reads, and the organisation file that goes with them, if any. */
export interface SnapshotSources {
  readonly exports: readonly string[]
  readonly organizationFile?: string
  /** More than one account: the report is an organisation report. */
  readonly many: boolean
}

/**
 * What `--snapshot` names: one export file; several; or a directory holding one export per
 * account (`*.json`, in name order) and, as `organization.json`, the organisation file.
 * `--org FILE` names the organisation file instead of the directory's.
 */
export async function resolveSnapshotSources(
  paths: readonly string[],
  orgFile: string | undefined,
): Promise<SnapshotSources> {
  const [first] = paths
  if (first === undefined) throw new UsageError('audit needs --snapshot')
  if (paths.length > 1)
    return { exports: paths, many: true, ...(orgFile === undefined ? {} : { organizationFile: orgFile }) }
  if (!(await isDirectory(first)))
    return { exports: paths, many: false, ...(orgFile === undefined ? {} : { organizationFile: orgFile }) }
  const names = (await readdir(first)).filter((name) => name.endsWith('.json')).sort()
  const exports = names.filter((name) => name !== ORGANIZATION_FILE).map((name) => join(first, name))
  if (exports.length === 0) throw new InputFileError(`snapshot directory ${first} holds no export (*.json)`)
  const organizationFile =
    orgFile ?? (names.includes(ORGANIZATION_FILE) ? join(first, ORGANIZATION_FILE) : undefined)
  return { exports, many: true, ...(organizationFile === undefined ? {} : { organizationFile }) }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch (error) {
    throw new InputFileError(`cannot read snapshot ${path}: ${describeReadError(error)}`, { cause: error })
  }
}
