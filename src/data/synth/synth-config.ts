/**
 * The synthetic set's parameters: defaults, the rule each must satisfy, and the io-ts codec of
 * `out/synth.json`, used both to write it and to read it back (a trainer checks what a directory
 * holds; a user reruns the generator with the same values).
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import * as fs from 'fs'
import { PamError } from '../../util/errors'
import { MIN_TEST_IDENTITIES } from './cfp-protocol'
import { DEFAULT_TAIL_FRACTION, describeYawDistributions } from './yaw-distribution'

const isCount = (x: number, min: number): boolean => Number.isInteger(x) && x >= min

/** What each parameter accepts; the CLI reuses these to name its flags in errors. */
export const SYNTH_PARAMETER_RULES = {
  identities: { ok: (x: number) => isCount(x, 1), expected: 'an integer ≥ 1' },
  imagesPerIdentity: { ok: (x: number) => isCount(x, 1), expected: 'an integer ≥ 1' },
  testIdentities: {
    ok: (x: number) => x === 0 || isCount(x, MIN_TEST_IDENTITIES),
    expected: `0 or an integer ≥ ${MIN_TEST_IDENTITIES} (2 identities in each of the 10 splits)`,
  },
  size: { ok: (x: number) => isCount(x, 16) && x <= 4096, expected: 'an integer in [16, 4096]' },
  seed: { ok: (x: number) => Number.isInteger(x) && Math.abs(x) < 2 ** 31, expected: 'an integer in (-2^31, 2^31)' },
  frontalPerTestIdentity: { ok: (x: number) => isCount(x, 2), expected: 'an integer ≥ 2' },
  profilePerTestIdentity: { ok: (x: number) => isCount(x, 1), expected: 'an integer ≥ 1' },
  pairsPerSplit: { ok: (x: number) => isCount(x, 1), expected: 'an integer ≥ 1' },
  tailFraction: { ok: (x: number) => x >= 0 && x <= 1, expected: 'a number in [0, 1]' },
  supersample: { ok: (x: number) => isCount(x, 1) && x <= 4, expected: 'an integer in [1, 4]' },
} as const

export type SynthParameterName = keyof typeof SYNTH_PARAMETER_RULES

const ruled = (name: SynthParameterName) => {
  const rule = SYNTH_PARAMETER_RULES[name]
  return new t.Type<number, number, unknown>(
    rule.expected,
    (u): u is number => typeof u === 'number' && rule.ok(u),
    (u, c) => (typeof u === 'number' && rule.ok(u) ? t.success(u) : t.failure(u, c, `${name} must be ${rule.expected}, got ${JSON.stringify(u)}`)),
    (n) => n,
  )
}

export const SynthParameters = t.type({
  identities: ruled('identities'),
  imagesPerIdentity: ruled('imagesPerIdentity'),
  testIdentities: ruled('testIdentities'),
  size: ruled('size'),
  seed: ruled('seed'),
  frontalPerTestIdentity: ruled('frontalPerTestIdentity'),
  profilePerTestIdentity: ruled('profilePerTestIdentity'),
  pairsPerSplit: ruled('pairsPerSplit'),
  tailFraction: ruled('tailFraction'),
  supersample: ruled('supersample'),
})
export type SynthParameters = t.TypeOf<typeof SynthParameters>

/** `synth.json`: the parameters plus what produced them and the yaw distributions in words. */
export const SynthConfig = t.intersection([
  t.type({ generator: t.literal('pam synth'), version: t.literal(1) }),
  SynthParameters,
  t.type({ yaw: t.type({ train: t.string, testFrontal: t.string, testProfile: t.string, rounding: t.string }) }),
])
export type SynthConfig = t.TypeOf<typeof SynthConfig>

export const SYNTH_DEFAULTS: SynthParameters = {
  identities: 50,
  imagesPerIdentity: 20,
  testIdentities: 20,
  size: 112,
  seed: 0,
  frontalPerTestIdentity: 10,
  profilePerTestIdentity: 4,
  pairsPerSplit: 350,
  tailFraction: DEFAULT_TAIL_FRACTION,
  supersample: 1,
}

const messages = (errors: t.Errors): string[] =>
  errors.map((e) => e.message ?? `${e.context.map((c) => c.key).filter(Boolean).join('.')}: unexpected ${JSON.stringify(e.value)}`)

/** Defaults filled in and every value checked; a `PamError` names the first bad one. */
export const resolveSynthParameters = (given: Partial<SynthParameters>): SynthParameters => {
  const r = SynthParameters.decode({ ...SYNTH_DEFAULTS, ...given })
  if (E.isLeft(r)) throw new PamError(`synth: ${messages(r.left)[0]}`)
  return r.right
}

export const synthConfigOf = (p: SynthParameters): SynthConfig => ({
  generator: 'pam synth',
  version: 1,
  ...p,
  yaw: describeYawDistributions(p.tailFraction),
})

/** The `synth.json` text (the codec's own encoding). */
export const encodeSynthConfig = (c: SynthConfig): string => JSON.stringify(SynthConfig.encode(c), null, 2) + '\n'

/** Reads `synth.json`; a `PamError` names the file and every bad field. */
export const readSynthConfig = (file: string): SynthConfig => {
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    throw new PamError(`${file}: cannot read the synthetic set description (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  const r = SynthConfig.decode(raw)
  if (E.isLeft(r)) throw new PamError(`${file}: not a synth.json (${messages(r.left).join('; ')})`)
  return r.right
}
