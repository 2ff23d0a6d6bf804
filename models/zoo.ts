/**
 * The zoo: every model of the paper by name, and the small grammar behind the names.
 *
 *   NAME      := BASE ( '+PAM' STAGES MOD* )? ( '+DREAM' )?
 *   BASE      := 'IR' DEPTH | 'IRESNET' DEPTH        DEPTH ∈ 18 34 50 100 152 (IR101 = IR100)
 *   STAGES    := digits 1-4, each at most once, ascending (PAM12 = after stages 1 and 2)
 *   MOD       := '-C' full convs in DRM | '-D' depthwise (default) | '-SE' SE squeeze
 *              | '-ID' CAM with identity mapping | '-NOGATE' S ≡ 1 | '-DRM' DRM only | '-CAM' CAM only
 *
 * Names are case-insensitive. `PAPER_MODELS` lists the variants of Tables 1-5 and 7.
 */
import * as E from 'fp-ts/Either'
import type { Block } from '../dsl/block'
import { backbone, DEPTHS, type Family } from './backbone'
import { dream } from './dream'
import { noGate, pam, type PamOptions } from './pam'

export interface ModelOptions {
  /** Input height and width (square); 112 in the paper. */
  readonly size?: number
  /** Width multiplier of the stage widths 64-128-256-512. */
  readonly width?: number
  readonly embedding?: number
  readonly dropout?: number
}

export interface ModelSpec {
  /** The canonical (upper-case) name. */
  readonly name: string
  readonly family: Family
  readonly depth: number
  readonly pamStages: readonly number[]
  readonly pam: PamOptions
  readonly dream: boolean
}

/** The paper's variants (Tables 1-5, 7) and what each is. */
export const PAPER_MODELS: ReadonlyArray<readonly [string, string]> = [
  ['IR50', 'baseline (Tables 1, 2, 5, 7)'],
  ['IR100', 'ArcFace baseline (Table 6)'],
  ['IR50+PAM1234', 'PAM after stages 1-4 (Table 1)'],
  ['IR50+PAM34', 'PAM after stages 3, 4 (Table 1)'],
  ['IR50+PAM12', 'PAM after stages 1, 2: the paper\'s model'],
  ['IR50+PAM123', 'Table 1'],
  ['IR50+PAM124', 'Table 1'],
  ['IR50+PAM12-C', 'full 3×3 convs in DRM (Table 2)'],
  ['IR50+PAM12-D', 'depthwise DRM = IR50+PAM12 (Table 2)'],
  ['IR50+PAM12-SE', 'CAM: SE squeeze, w/o identity (Table 3)'],
  ['IR50+PAM12-SE-ID', 'CAM: SE squeeze, with identity (Table 3)'],
  ['IR50+PAM12-ID', 'CAM: CBAM squeeze, with identity (Table 3)'],
  ['IR50+PAM12-NOGATE', 'w/o soft gate, S ≡ 1 (Table 4)'],
  ['IR50+PAM12-DRM', 'DRM only (Table 5)'],
  ['IR50+PAM12-CAM', 'CAM only (Table 5)'],
  ['IR50+DREAM', 'DREAM on the embedding (Table 7)'],
]

export const NAME_GRAMMAR =
  'IR{18,34,50,100,152} or IRESNET{18,34,50,100,152}, then optionally +PAM<stages 1-4>[-C|-D][-SE][-ID][-NOGATE][-DRM|-CAM] and +DREAM'

const parseMods = (mods: readonly string[], name: string): E.Either<string, PamOptions> => {
  let o: { -readonly [K in keyof PamOptions]: PamOptions[K] } = {}
  for (const m of mods) {
    switch (m) {
      case 'C':
        o = { ...o, conv: 'full' }
        break
      case 'D':
        o = { ...o, conv: 'depthwise' }
        break
      case 'SE':
        o = { ...o, squeeze: 'se' }
        break
      case 'ID':
        o = { ...o, identity: true }
        break
      case 'NOGATE':
        o = { ...o, gate: noGate }
        break
      case 'DRM':
        o = { ...o, modules: 'drm' }
        break
      case 'CAM':
        o = { ...o, modules: 'cam' }
        break
      default:
        return E.left(`unknown model "${name}": PAM modifier -${m} is not one of -C -D -SE -ID -NOGATE -DRM -CAM`)
    }
  }
  return E.right(o)
}

/** Reads a model name (case-insensitive), or says what is wrong with it. */
export const parseModelName = (raw: string): E.Either<string, ModelSpec> => {
  const name = raw.trim().toUpperCase().replace(/\s+/g, '')
  const m = /^(IRESNET|IR)(\d+)(?:\+PAM(\d+)((?:-[A-Z]+)*))?(\+DREAM)?$/.exec(name)
  if (!m) return E.left(`unknown model "${raw}"`)
  const family: Family = m[1] === 'IR' ? 'ir' : 'iresnet'
  const depth = Number(m[2]) === 101 ? 100 : Number(m[2])
  if (!DEPTHS[depth]) return E.left(`unknown model "${raw}": depth ${m[2]} is not one of 18, 34, 50, 100 (or 101), 152`)
  const stages = m[3] ? m[3].split('').map(Number) : []
  const ascending = stages.every((s, i) => s >= 1 && s <= 4 && (i === 0 || s > stages[i - 1]))
  if (!ascending) return E.left(`unknown model "${raw}": PAM stages must be distinct digits 1-4 in ascending order, got ${m[3]}`)
  const mods = m[4] ? m[4].split('-').filter((s) => s !== '') : []
  const opts = parseMods(mods, raw)
  if (E.isLeft(opts)) return opts
  const canonical = `${m[1]}${depth}${m[3] ? `+PAM${m[3]}${m[4]}` : ''}${m[5] ?? ''}`
  return E.right({ name: canonical, family, depth, pamStages: stages, pam: opts.right, dream: m[5] !== undefined })
}

/** The Block of a parsed spec. */
export const buildFromSpec = (spec: ModelSpec, o: ModelOptions = {}): Block => {
  const after: Partial<Record<1 | 2 | 3 | 4, Block>> = {}
  for (const s of spec.pamStages) after[s as 1 | 2 | 3 | 4] = pam(spec.pam)
  const embedding = o.embedding ?? 512
  return backbone({
    family: spec.family,
    units: DEPTHS[spec.depth],
    width: o.width,
    embedding,
    dropout: o.dropout,
    after,
    onEmbedding: spec.dream ? dream(embedding) : undefined,
  })
}

/** The Block of a named model, or the reason the name is not one. */
export const buildModel = (name: string, o: ModelOptions = {}): E.Either<string, Block> =>
  E.map((spec: ModelSpec) => buildFromSpec(spec, o))(parseModelName(name))

/** The input shape a model of these options reads: `[size, size, 3]`. */
export const inputShape = (o: ModelOptions = {}): readonly [number, number, number] => [o.size ?? 112, o.size ?? 112, 3]
