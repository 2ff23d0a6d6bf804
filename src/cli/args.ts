/**
 * Flag parsing for the `pam` commands: node's `util.parseArgs`, strict, with its errors turned
 * into one clear line (`pam audit: unknown flag --jsn`) instead of a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { PamError } from '../util/errors'

type Options = NonNullable<ParseArgsConfig['options']>

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | undefined>
  readonly positionals: string[]
}

export const parseFlags = (command: string, argv: readonly string[], options: Options, allowPositionals = false): Parsed => {
  try {
    const r = parseArgs({ args: [...argv], options, allowPositionals, strict: true })
    return { values: r.values as Parsed['values'], positionals: r.positionals }
  } catch (e) {
    const msg = (e as Error).message
    const unknown = /Unknown option '([^']+)'/.exec(msg)
    if (unknown) throw new PamError(`pam ${command}: unknown flag ${unknown[1]} (valid: ${Object.keys(options).map((k) => `--${k}`).join(' ')})`)
    const positional = /Unexpected argument '([^']+)'/.exec(msg)
    if (positional) throw new PamError(`pam ${command}: unexpected argument "${positional[1]}"`)
    throw new PamError(`pam ${command}: ${msg.split('\n')[0]}`)
  }
}

/** A flag's value as a number within [min, max], or a clear error naming the flag. */
export const numberFlag = (
  command: string,
  name: string,
  raw: unknown,
  fallback: number,
  o: { readonly min?: number; readonly max?: number; readonly integer?: boolean } = {},
): number => {
  if (raw === undefined) return fallback
  const v = Number(raw)
  const bad =
    typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v) || (o.integer && !Number.isInteger(v)) || (o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max)
  if (bad) {
    const range = o.min !== undefined || o.max !== undefined ? ` in [${o.min ?? '-∞'}, ${o.max ?? '∞'}]` : ''
    throw new PamError(`pam ${command}: --${name} must be ${o.integer ? 'an integer' : 'a number'}${range}, got "${String(raw)}"`)
  }
  return v
}

export const stringFlag = (values: Parsed['values'], name: string): string | undefined => {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

/** A required string flag, or one line naming it and the usage: `pam import: --from FILE.pth is required (…)`. */
export const requiredFlag = (command: string, usage: string, values: Parsed['values'], name: string, what: string): string => {
  const v = values[name]
  if (typeof v !== 'string' || v === '') throw new PamError(`pam ${command}: --${name} ${what} is required (${usage})`)
  return v
}
