/** The committed mini CFP fixture, and fresh copies of it for tests that break it. */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

export const CFP_MINI = path.resolve(__dirname, '../../../test/fixtures/eval/cfp-mini')

/** A function making fresh copies under one temporary directory, removed at `teardown`. */
export const cfpMiniCopies = (teardown: (f: () => void) => void, prefix: string): (() => string) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))
  let copies = 0
  return () => {
    const root = path.join(tmp, `cfp${copies++}`)
    fs.cpSync(CFP_MINI, root, { recursive: true })
    return root
  }
}
