/**
 * The parts of a WebAssembly module the FMA pass reads: its sections, the parameter count of
 * each defined function (scratch locals go after the parameters and declared locals), and the
 * function bodies of the code section.
 */
import { Cursor, readByte, readU32, WasmFormatError } from './leb128'

export interface Section {
  readonly id: number
  /** Byte range of the whole section (id, size, content) and of its content. */
  readonly start: number
  readonly contentStart: number
  readonly end: number
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d]
// Code-section bodies are the function section's entries, in order (imports have no body).
const SECTION = { type: 1, function: 3, code: 10 } as const

export const readSections = (bytes: Uint8Array): Section[] => {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) throw new WasmFormatError('not a WebAssembly module (no \\0asm header)')
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) throw new WasmFormatError('unsupported WebAssembly binary version')
  const c: Cursor = { bytes, pos: 8 }
  const sections: Section[] = []
  while (c.pos < bytes.length) {
    const start = c.pos
    const id = readByte(c)
    const size = readU32(c)
    const contentStart = c.pos
    const end = contentStart + size
    if (end > bytes.length) throw new WasmFormatError(`section ${id} runs past the end of the module`)
    sections.push({ id, start, contentStart, end })
    c.pos = end
  }
  return sections
}

/** Parameter counts of the module's function types. */
const readTypeParamCounts = (bytes: Uint8Array, s: Section): number[] => {
  const c: Cursor = { bytes, pos: s.contentStart }
  const n = readU32(c)
  const counts: number[] = []
  for (let i = 0; i < n; i++) {
    const form = readByte(c)
    if (form !== 0x60) throw new WasmFormatError(`type ${i}: unsupported type form 0x${form.toString(16)}`)
    const params = readU32(c)
    c.pos += params // one byte per numeric/vector/reference value type
    const results = readU32(c)
    c.pos += results
    counts.push(params)
  }
  return counts
}

/** The parameter count of each defined function, in code-section order. */
export const readDefinedFunctionParams = (bytes: Uint8Array, sections: readonly Section[]): number[] => {
  const find = (id: number) => sections.find((s) => s.id === id)
  const types = find(SECTION.type)
  const funcs = find(SECTION.function)
  if (types === undefined || funcs === undefined) return []
  const paramCounts = readTypeParamCounts(bytes, types)
  const c: Cursor = { bytes, pos: funcs.contentStart }
  const n = readU32(c)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t = readU32(c)
    if (t >= paramCounts.length) throw new WasmFormatError(`function ${i}: type ${t} does not exist`)
    out.push(paramCounts[t])
  }
  return out
}

export const codeSection = (sections: readonly Section[]): Section | undefined => sections.find((s) => s.id === SECTION.code)

/** One function body: its locals declarations, decoded, and the byte range of its code. */
export interface FunctionBody {
  /** Where its size prefix starts: the entry is bytes [start, end). */
  readonly start: number
  readonly locals: readonly { readonly count: number; readonly type: number }[]
  readonly codeStart: number
  readonly end: number
}

export const readFunctionBodies = (bytes: Uint8Array, code: Section): FunctionBody[] => {
  const c: Cursor = { bytes, pos: code.contentStart }
  const n = readU32(c)
  const bodies: FunctionBody[] = []
  for (let i = 0; i < n; i++) {
    const start = c.pos
    const size = readU32(c)
    const end = c.pos + size
    const groups = readU32(c)
    const locals: { count: number; type: number }[] = []
    for (let g = 0; g < groups; g++) locals.push({ count: readU32(c), type: readByte(c) })
    bodies.push({ start, locals, codeStart: c.pos, end })
    c.pos = end
  }
  if (c.pos !== code.end) throw new WasmFormatError('the code section does not end where its size says')
  return bodies
}
