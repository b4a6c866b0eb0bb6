import { readFile } from 'node:fs/promises'
import { InputFileError } from './errors.ts'

/** Reads and parses a JSON file, turning every failure into one clear InputFileError. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputFileError(
      `cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'read failed')}`,
      {
        cause: error,
      },
    )
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new InputFileError(`${what} ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    })
  }
}
