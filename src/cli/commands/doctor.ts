/**
 * `pam doctor [--backend NAME]`
 *
 * Starts the backend the other commands would use (or NAME) and prints what it found: the
 * backends installed, the one in use, why the others were skipped, the tfjs-core version, and
 * whether exactly one copy of @tensorflow/tfjs-core is installed. Two copies (e.g. tfjs-node
 * pulling its own) split the kernel registry and the tensor class in two, which fails in ways
 * far from the cause. Exit code 0 when all is well, 1 when tfjs-core is duplicated.
 */
import * as fs from 'fs'
import * as path from 'path'
import * as tf from '@tensorflow/tfjs-core'
import { BACKEND_NAMES, formatDoctor, selectBackend, type BackendLoader, type CoreCopy } from '../../backend/select'
import { parseFlags, stringFlag } from '../args'

const USAGE = `usage: pam doctor [--backend ${BACKEND_NAMES.join('|')}]`

const CORE = '@tensorflow/tfjs-core'

/**
 * Every copy of tfjs-core that the @tensorflow packages installed next to `coreDir` resolve to,
 * resolving from each package's own directory as Node would when that package loads.
 */
export const findCoreCopies = (coreDir: string): CoreCopy[] => {
  const scope = path.dirname(coreDir) // …/node_modules/@tensorflow
  const byDir = new Map<string, { version: string; usedBy: string[] }>()
  for (const entry of fs.readdirSync(scope).sort()) {
    const pkgDir = path.join(scope, entry)
    if (!fs.existsSync(path.join(pkgDir, 'package.json'))) continue
    let manifest: string
    try {
      manifest = fs.realpathSync(require.resolve(`${CORE}/package.json`, { paths: [pkgDir] }))
    } catch {
      continue
    }
    const dir = path.dirname(manifest)
    const version = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '?'
    const copy = byDir.get(dir) ?? { version, usedBy: [] }
    if (`@tensorflow/${entry}` !== CORE) copy.usedBy.push(`@tensorflow/${entry}`)
    byDir.set(dir, copy)
  }
  return [...byDir].map(([dir, c]) => ({ dir, version: c.version, usedBy: c.usedBy }))
}

/** `o` lets tests substitute the packages, the environment and the installation to inspect. */
export async function doctorCommand(
  argv: string[],
  o: { readonly loader?: BackendLoader; readonly env?: NodeJS.ProcessEnv; readonly coreDir?: string } = {},
): Promise<number> {
  const { values } = parseFlags('doctor', argv, { backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const selection = await selectBackend({ requested: stringFlag(values, 'backend'), env: o.env, loader: o.loader })
  const coreCopies = findCoreCopies(o.coreDir ?? path.dirname(fs.realpathSync(require.resolve(`${CORE}/package.json`))))
  console.log(formatDoctor({ selection, coreVersion: tf.version_core, coreCopies }))
  return coreCopies.length > 1 ? 1 : 0
}
