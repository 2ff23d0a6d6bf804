/**
 * Instruction boundaries in a WebAssembly function body.
 *
 * The FMA pass only rewrites a few SIMD instructions, but to find them it must step over every
 * other instruction's immediates (a byte-pattern search would match inside constants and
 * offsets). This covers the opcodes an Emscripten build emits: MVP, sign extension, saturating
 * conversions, bulk memory, reference types, fixed-width and relaxed SIMD, threads. Anything
 * else is reported, and the caller leaves the module as it was.
 */
import { Cursor, readByte, readU32, skipSigned, WasmFormatError } from './leb128'

/** An instruction: its opcode (prefix byte and sub-opcode for 0xfc/0xfd/0xfe) and byte range. */
export interface Instruction {
  readonly prefix: number
  /** The opcode byte, or the sub-opcode after a prefix. */
  readonly op: number
  readonly start: number
  readonly end: number
}

export const SIMD_PREFIX = 0xfd
export const SIMD = { f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4RelaxedMadd: 0x105, f32x4RelaxedNmadd: 0x106 } as const
export const LOCAL_GET = 0x20
export const END = 0x0b

const skipMemarg = (c: Cursor): void => {
  const align = readU32(c)
  // Multi-memory sets bit 6 of the alignment and adds a memory index.
  if (align & 0x40) readU32(c)
  readU32(c)
}

const skipBlockType = (c: Cursor): void => {
  const b = c.bytes[c.pos]
  // 0x40 (empty) or a one-byte value type; otherwise an s33 type index.
  if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) c.pos++
  else skipSigned(c, 33)
}

const skipBytes = (c: Cursor, n: number): void => {
  if (c.pos + n > c.bytes.length) throw new WasmFormatError(`unexpected end of the module at byte ${c.pos}`)
  c.pos += n
}

const unknown = (prefix: number, op: number, at: number): never => {
  const name = prefix === 0 ? `0x${op.toString(16)}` : `0x${prefix.toString(16)} ${op}`
  throw new WasmFormatError(`unknown opcode ${name} at byte ${at}`)
}

const skipSimdImmediates = (c: Cursor, op: number, at: number): void => {
  if (op <= 11 || op === 92 || op === 93) return skipMemarg(c) // loads, store, load*_zero
  if (op === 12 || op === 13) return skipBytes(c, 16) // v128.const, i8x16.shuffle
  if (op >= 21 && op <= 34) return skipBytes(c, 1) // extract/replace lane
  if (op >= 84 && op <= 91) {
    skipMemarg(c) // load/store lane
    return skipBytes(c, 1)
  }
  if (op <= 0xff || (op >= 0x100 && op <= 0x113)) return // no immediates (0x100-0x113: relaxed SIMD)
  unknown(SIMD_PREFIX, op, at)
}

const skipMiscImmediates = (c: Cursor, op: number, at: number): void => {
  if (op <= 7) return // saturating truncations
  if (op === 8 || op === 12 || op === 14) {
    readU32(c) // memory.init data, table.init elem/table, table.copy tables
    if (op === 8) return skipBytes(c, 1)
    readU32(c)
    return
  }
  if (op === 9 || op === 13 || (op >= 15 && op <= 17)) return void readU32(c)
  if (op === 10) return skipBytes(c, 2) // memory.copy
  if (op === 11) return skipBytes(c, 1) // memory.fill
  unknown(0xfc, op, at)
}

const skipAtomicImmediates = (c: Cursor, op: number, at: number): void => {
  if (op === 0x03) return skipBytes(c, 1) // atomic.fence
  if (op <= 0x02 || (op >= 0x10 && op <= 0x4e)) return skipMemarg(c)
  unknown(0xfe, op, at)
}

/** Reads the instruction at the cursor and moves past it. */
export const readInstruction = (c: Cursor): Instruction => {
  const start = c.pos
  const op = readByte(c)
  const done = (prefix: number, o: number): Instruction => ({ prefix, op: o, start, end: c.pos })
  if (op === 0xfc || op === 0xfd || op === 0xfe) {
    const sub = readU32(c)
    if (op === 0xfd) skipSimdImmediates(c, sub, start)
    else if (op === 0xfc) skipMiscImmediates(c, sub, start)
    else skipAtomicImmediates(c, sub, start)
    return done(op, sub)
  }
  switch (op) {
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x06: // try
      skipBlockType(c)
      break
    case 0x07: // catch
    case 0x08: // throw
    case 0x09: // rethrow
    case 0x0c: // br
    case 0x0d: // br_if
    case 0x10: // call
    case 0x12: // return_call
    case 0x18: // delegate
    case 0xd2: // ref.func
      readU32(c)
      break
    case 0x0e: {
      const n = readU32(c) // br_table: n labels and the default
      for (let i = 0; i <= n; i++) readU32(c)
      break
    }
    case 0x11: // call_indirect
    case 0x13: // return_call_indirect
      readU32(c)
      readU32(c)
      break
    case 0x1c: {
      const n = readU32(c) // typed select
      skipBytes(c, n)
      break
    }
    case 0x3f:
    case 0x40:
      skipBytes(c, 1) // memory.size / memory.grow: memory index byte
      break
    case 0x41:
      skipSigned(c, 32)
      break
    case 0x42:
      skipSigned(c, 64)
      break
    case 0x43:
      skipBytes(c, 4)
      break
    case 0x44:
      skipBytes(c, 8)
      break
    case 0xd0:
      skipBytes(c, 1) // ref.null: heap type
      break
    default:
      if (op >= 0x20 && op <= 0x26) readU32(c) // local.*, global.*, table.get/set
      else if (op >= 0x28 && op <= 0x3e) skipMemarg(c)
      else if (!(op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x19 || op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1))
        unknown(0, op, start)
  }
  return done(0, op)
}
