/** Paths and bytes of the committed io fixtures (compiled to dist/test/src/io, four levels below the root). */
import * as fs from 'fs'
import * as path from 'path'

export const fixtureDir = path.join(__dirname, '../../../../test/fixtures/io')

export const fixturePath = (name: string): string => path.join(fixtureDir, name)

/** A fixture's bytes as a plain Uint8Array (tests mutate copies of them). */
export const fixtureBytes = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(fixturePath(name)))

export const fixtureJson = <T>(name: string): T => JSON.parse(fs.readFileSync(fixturePath(name), 'utf8')) as T

/** Runs `f` and returns the message of the error it throws (and its class name), or fails. */
export const thrown = (f: () => unknown): { name: string; message: string } => {
  try {
    f()
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message }
  }
  throw new Error('expected an error')
}
