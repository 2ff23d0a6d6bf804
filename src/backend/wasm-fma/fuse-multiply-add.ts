/**
 * Fuses f32x4 multiplies into the adds and subtracts that consume them, turning a module's
 * `mul`+`add` pairs into relaxed-SIMD `f32x4.relaxed_madd` (and `mul`+`sub` into `relaxed_nmadd`).
 *
 * Why: tfjs-backend-wasm's XNNPACK kernels are built for fixed-width SIMD128, which has no fused
 * multiply-add, so every multiply-accumulate of a convolution or matmul is two instructions. V8
 * compiles `relaxed_madd` to one FMA instruction on CPUs that have one (x86 FMA3, ARM NEON), which
 * doubles the arithmetic per cycle of those inner loops. The change in results is the rounding
 * of the intermediate product, which FMA skips (results are, if anything, more accurate).
 *
 * The rewrite keeps the evaluation order and needs no knowledge of what a function does:
 *
 *   mul; local.get c; add   →  local.get c; relaxed_madd          (stack: a b → a·b+c)
 *   mul; add                →  set t2; set t1; set t0;            (stack: c a b → c+a·b)
 *                              get t1; get t2; get t0; relaxed_madd
 *   mul; sub                →  the same with relaxed_nmadd        (c − a·b = −(a·b)+c)
 *
 * where t0..t2 are three v128 locals added to the function. V8's optimizing compiler turns
 * locals into SSA values, so the extra sets and gets cost nothing at run time.
 */
import { encodeU32, WasmFormatError } from './leb128'
import { END, Instruction, LOCAL_GET, readInstruction, SIMD, SIMD_PREFIX } from './instructions'
import { codeSection, FunctionBody, readDefinedFunctionParams, readFunctionBodies, readSections } from './module-layout'

export interface FusionCounts {
  /** `mul`+`add` pairs now one `relaxed_madd`. */
  readonly madd: number
  /** `mul`+`sub` pairs now one `relaxed_nmadd`. */
  readonly nmadd: number
  /** Functions that changed. */
  readonly functions: number
}

export interface FusedModule {
  readonly bytes: Uint8Array
  readonly counts: FusionCounts
}

const V128 = 0x7b
const LOCAL_SET = 0x21
const simdOp = (op: number): number[] => [SIMD_PREFIX, ...encodeU32(op)]
const isSimd = (i: Instruction | undefined, op: number): boolean => i !== undefined && i.prefix === SIMD_PREFIX && i.op === op

interface RewrittenBody {
  readonly bytes: number[]
  readonly madd: number
  readonly nmadd: number
}

/** The body's code with the fusions applied, or undefined when nothing fuses. */
const rewriteBody = (bytes: Uint8Array, body: FunctionBody, params: number): RewrittenBody | undefined => {
  const cursor = { bytes, pos: body.codeStart }
  const code: Instruction[] = []
  while (cursor.pos < body.end) code.push(readInstruction(cursor))
  if (cursor.pos !== body.end || code.length === 0 || code[code.length - 1].prefix !== 0 || code[code.length - 1].op !== END)
    throw new WasmFormatError(`a function body at byte ${body.codeStart} does not end with \`end\``)

  const scratch = params + body.locals.reduce((n, l) => n + l.count, 0)
  const [t0, t1, t2] = [scratch, scratch + 1, scratch + 2].map(encodeU32)
  const out: number[] = []
  let madd = 0
  let nmadd = 0
  let usesScratch = false
  const copy = (i: Instruction) => {
    for (let p = i.start; p < i.end; p++) out.push(bytes[p])
  }
  for (let k = 0; k < code.length; k++) {
    const i = code[k]
    if (!isSimd(i, SIMD.f32x4Mul)) {
      copy(i)
      continue
    }
    const next = code[k + 1]
    const after = code[k + 2]
    if (next !== undefined && next.prefix === 0 && next.op === LOCAL_GET && isSimd(after, SIMD.f32x4Add)) {
      copy(next)
      out.push(...simdOp(SIMD.f32x4RelaxedMadd))
      madd++
      k += 2
    } else if (isSimd(next, SIMD.f32x4Add) || isSimd(next, SIMD.f32x4Sub)) {
      const negate = isSimd(next, SIMD.f32x4Sub)
      out.push(LOCAL_SET, ...t2, LOCAL_SET, ...t1, LOCAL_SET, ...t0, LOCAL_GET, ...t1, LOCAL_GET, ...t2, LOCAL_GET, ...t0)
      out.push(...simdOp(negate ? SIMD.f32x4RelaxedNmadd : SIMD.f32x4RelaxedMadd))
      if (negate) nmadd++
      else madd++
      usesScratch = true
      k += 1
    } else copy(i)
  }
  if (madd + nmadd === 0) return undefined
  const locals = usesScratch ? [...body.locals, { count: 3, type: V128 }] : body.locals
  const header = [...encodeU32(locals.length), ...locals.flatMap((l) => [...encodeU32(l.count), l.type])]
  return { bytes: [...header, ...out], madd, nmadd }
}

const concat = (parts: readonly (Uint8Array | readonly number[])[]): Uint8Array => {
  const total = parts.reduce((n, p) => n + p.length, 0)
  const result = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    result.set(p, at)
    at += p.length
  }
  return result
}

/**
 * The module with every f32x4 multiply that feeds an add or subtract fused into it. Throws
 * `WasmFormatError` when the module cannot be read (the caller then uses it unchanged).
 */
export const fuseMultiplyAdd = (bytes: Uint8Array): FusedModule => {
  const sections = readSections(bytes)
  const code = codeSection(sections)
  if (code === undefined) return { bytes, counts: { madd: 0, nmadd: 0, functions: 0 } }
  const params = readDefinedFunctionParams(bytes, sections)
  const bodies = readFunctionBodies(bytes, code)
  if (params.length !== bodies.length) throw new WasmFormatError(`${params.length} functions declared but ${bodies.length} bodies`)

  let madd = 0
  let nmadd = 0
  let functions = 0
  const entries: (Uint8Array | number[])[] = [encodeU32(bodies.length)]
  bodies.forEach((body, f) => {
    const rewritten = rewriteBody(bytes, body, params[f])
    if (rewritten === undefined) {
      entries.push(bytes.subarray(body.start, body.end))
      return
    }
    madd += rewritten.madd
    nmadd += rewritten.nmadd
    functions++
    entries.push(encodeU32(rewritten.bytes.length), rewritten.bytes)
  })
  if (functions === 0) return { bytes, counts: { madd, nmadd, functions } }
  const content = concat(entries)
  const out = concat([bytes.subarray(0, code.start), [code.id, ...encodeU32(content.length)], content, bytes.subarray(code.end)])
  return { bytes: out, counts: { madd, nmadd, functions } }
}

