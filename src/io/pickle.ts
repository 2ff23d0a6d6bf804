/**
 * A safe unpickler: interprets the opcodes of pickle protocols 0-5 without running anything.
 *
 * Python's own `pickle.load` imports and calls whatever the stream names, so a pickle is code.
 * Here a name (GLOBAL, STACK_GLOBAL, INST) is resolved only through the caller's allow-list of
 * `module.name` → JS implementation; any other name stops the load before anything is built.
 * Persistent ids (how `torch.save` refers to tensor storages) go to a caller-provided function.
 *
 * Python 2 `str` (STRING, BINSTRING, SHORT_BINSTRING) comes out as bytes, like Python 3's
 * `pickle.load(f, encoding='bytes')`: Python 2 used `str` for binary data (encoded images).
 */
import { PamError } from '../util/errors'
import { ByteCursor, cursor, i32, latin1, line, need, take, u16, u32, u64, u8 } from './byte-cursor'
import { parseDecimal, parseFloatText, parseLongBytes, parseRawUnicodeEscape, parseStringRepr } from './pickle-text'
import { describe, isDict, isGlobal, isList, PyCallable, PyGlobal, PyObject, PyValue } from './pickle-value'

export interface UnpickleOptions {
  /** Names the file in error messages. */
  readonly source: string
  /** `module.name` → implementation; `null` allows the name as a value only (never called). */
  readonly globals: Readonly<Record<string, PyCallable | null>>
  /** Resolves BINPERSID / PERSID ids; without it a persistent id is an error. */
  readonly persistentLoad?: (pid: PyValue) => PyValue
}

export interface Unpickled {
  readonly value: PyValue
  /** Offset just past STOP: where a following pickle in the same stream starts. */
  readonly end: number
}

/** Python 2 module names, mapped as Python 3's `fix_imports` does for the ones pickles use. */
const py2Modules: Readonly<Record<string, string>> = { __builtin__: 'builtins', copy_reg: 'copyreg' }

const opNames: Readonly<Record<number, string>> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES',
  0x46: 'FLOAT', 0x47: 'BINFLOAT', 0x49: 'INT', 0x4a: 'BININT', 0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2',
  0x4e: 'NONE', 0x50: 'PERSID', 0x51: 'BINPERSID', 0x52: 'REDUCE', 0x53: 'STRING', 0x54: 'BINSTRING',
  0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x5d: 'EMPTY_LIST', 0x61: 'APPEND', 0x62: 'BUILD',
  0x63: 'GLOBAL', 0x64: 'DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET', 0x69: 'INST', 0x6a: 'LONG_BINGET',
  0x6c: 'LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT', 0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE',
  0x75: 'SETITEMS', 0x7d: 'EMPTY_DICT', 0x29: 'EMPTY_TUPLE', 0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1',
  0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2', 0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE',
  0x8a: 'LONG1', 0x8b: 'LONG4', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
}

const utf8 = new TextDecoder('utf-8')
const tuple = (items: PyValue[]): PyValue => Object.freeze(items)

/** Runs one pickle starting at `start`; returns its value and where it ended. */
export const unpickle = (bytes: Uint8Array, options: UnpickleOptions, start = 0): Unpickled => {
  const { source } = options
  const c: ByteCursor = cursor(bytes, source, start)
  const stack: PyValue[] = []
  const marks: number[] = []
  const memo = new Map<number, PyValue>()
  let op = 0
  let at = start

  const name = (): string => opNames[op] ?? `0x${op.toString(16).padStart(2, '0')}`
  const fail = (msg: string): never => {
    throw new PamError(`${source}: ${msg} (${name()} at offset ${at})`)
  }
  const pop = (): PyValue => (stack.length > (marks.at(-1) ?? 0) ? stack.pop()! : fail('malformed pickle: stack empty'))
  const top = (): PyValue => (stack.length > (marks.at(-1) ?? 0) ? stack[stack.length - 1] : fail('malformed pickle: stack empty'))
  const popMark = (): PyValue[] => {
    const m = marks.pop()
    return m === undefined ? fail('malformed pickle: no MARK') : stack.splice(m)
  }
  const text = (b: Uint8Array): string => utf8.decode(b)

  const resolve = (module: string, qualname: string): PyGlobal => {
    const full = `${py2Modules[module] ?? module}.${qualname}`
    if (!(full in options.globals)) {
      const allowed = Object.keys(options.globals).join(', ')
      throw new PamError(`${source}: pickle refers to ${full}, which is not allowed (allowed: ${allowed})`)
    }
    return { _tag: 'PyGlobal', name: full }
  }
  /** Calls an allowed global; a plain Error from it becomes a PamError with file and offset. */
  const call = (fn: PyValue, args: readonly PyValue[]): PyValue => {
    if (!isGlobal(fn)) return fail(`malformed pickle: calls ${describe(fn)}, which is not a class or function`)
    const impl = options.globals[fn.name]
    if (!impl) return fail(`${fn.name} may appear in this file but not be called`)
    return guarded(fn.name, () => impl(args))
  }
  const guarded = (what: string, f: () => PyValue): PyValue => {
    try {
      return f()
    } catch (e) {
      if (e instanceof PamError) throw e
      return fail(`${what}: ${(e as Error).message}`)
    }
  }
  const persistent = (pid: PyValue): PyValue =>
    options.persistentLoad ? guarded('persistent id', () => options.persistentLoad!(pid)) : fail('persistent id without a loader')
  const memoGet = (i: number): PyValue => (memo.has(i) ? memo.get(i)! : fail(`malformed pickle: memo ${i} is empty`))
  const memoLine = (): number => {
    const v = parseDecimal(latin1(line(c, name())))
    return typeof v === 'number' && v >= 0 ? v : fail('malformed pickle: bad memo index')
  }
  const setItems = (target: PyValue, items: PyValue[]): void => {
    if (!isDict(target)) return fail(`malformed pickle: sets items on ${describe(target)}`)
    if (items.length % 2 !== 0) return fail('malformed pickle: odd number of items for a dict')
    for (let i = 0; i < items.length; i += 2) target.set(items[i], items[i + 1])
  }
  const appendItems = (target: PyValue, items: PyValue[]): void => {
    if (!isList(target)) return fail(`malformed pickle: appends to ${describe(target)}`)
    for (const item of items) target.push(item)
  }
  const build = (obj: PyValue, state: PyValue): void => {
    const o = obj as PyObject | null
    if (typeof o !== 'object' || o === null || typeof o.__setstate__ !== 'function') {
      return fail(`${describe(obj)} takes no state`)
    }
    guarded(`${describe(obj)} state`, () => (o.__setstate__!(state), null))
  }

  for (;;) {
    at = c.pos
    op = u8(c, 'pickle opcode')
    switch (op) {
      case 0x80: u8(c, 'PROTO'); break // PROTO: every protocol we know reads the same
      case 0x95: u64(c, name()); break // FRAME: a buffering hint; the opcodes follow inline
      case 0x2e: return { value: pop(), end: c.pos } // STOP: Python ignores leftovers too
      case 0x28: marks.push(stack.length); break // MARK
      case 0x30: pop(); break // POP
      case 0x31: popMark(); break // POP_MARK
      case 0x32: stack.push(top()); break // DUP
      case 0x4e: stack.push(null); break // NONE
      case 0x88: stack.push(true); break // NEWTRUE
      case 0x89: stack.push(false); break // NEWFALSE
      case 0x49: { // INT: protocol 0 spells bools I00 / I01
        const t = latin1(line(c, name()))
        const v = t === '00' ? false : t === '01' ? true : parseDecimal(t)
        stack.push(v ?? fail(`malformed pickle: bad int ${JSON.stringify(t)}`))
        break
      }
      case 0x4c: { // LONG
        const t = latin1(line(c, name()))
        stack.push(parseDecimal(t) ?? fail(`malformed pickle: bad long ${JSON.stringify(t)}`))
        break
      }
      case 0x4a: stack.push(i32(c, name())); break // BININT
      case 0x4b: stack.push(u8(c, name())); break // BININT1
      case 0x4d: stack.push(u16(c, name())); break // BININT2
      case 0x8a: stack.push(parseLongBytes(take(c, u8(c, name()), name()))); break // LONG1
      case 0x8b: stack.push(parseLongBytes(take(c, i32(c, name()), name()))); break // LONG4
      case 0x46: { // FLOAT
        const t = latin1(line(c, name()))
        stack.push(parseFloatText(t) ?? fail(`malformed pickle: bad float ${JSON.stringify(t)}`))
        break
      }
      case 0x47: need(c, 8, name()); stack.push(c.view.getFloat64(c.pos, false)); c.pos += 8; break // BINFLOAT
      case 0x53: stack.push(parseStringRepr(line(c, name())) ?? fail('malformed pickle: bad string literal')); break
      case 0x54: stack.push(take(c, checkedLength(i32(c, name()), fail), name())); break // BINSTRING
      case 0x55: stack.push(take(c, u8(c, name()), name())); break // SHORT_BINSTRING
      case 0x42: stack.push(take(c, u32(c, name()), name())); break // BINBYTES
      case 0x43: stack.push(take(c, u8(c, name()), name())); break // SHORT_BINBYTES
      case 0x8e: stack.push(take(c, u64(c, name()), name())); break // BINBYTES8
      case 0x96: stack.push(take(c, u64(c, name()), name()).slice()); break // BYTEARRAY8: mutable, so a copy
      case 0x56: stack.push(parseRawUnicodeEscape(line(c, name()))); break // UNICODE
      case 0x58: stack.push(text(take(c, u32(c, name()), name()))); break // BINUNICODE
      case 0x8c: stack.push(text(take(c, u8(c, name()), name()))); break // SHORT_BINUNICODE
      case 0x8d: stack.push(text(take(c, u64(c, name()), name()))); break // BINUNICODE8
      case 0x97: fail('out-of-band buffers are not supported'); break // NEXT_BUFFER
      case 0x98: break // READONLY_BUFFER: our bytes are not shared with anyone
      case 0x5d: stack.push([]); break // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break // LIST
      case 0x61: { const v = pop(); appendItems(top(), [v]); break } // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items); break } // APPENDS
      case 0x29: stack.push(tuple([])); break // EMPTY_TUPLE
      case 0x74: stack.push(tuple(popMark())); break // TUPLE
      case 0x85: { const a = pop(); stack.push(tuple([a])); break } // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push(tuple([a, b])); break } // TUPLE2
      case 0x87: { const z = pop(); const b = pop(); const a = pop(); stack.push(tuple([a, b, z])); break } // TUPLE3
      case 0x7d: stack.push(new Map()); break // EMPTY_DICT
      case 0x64: { const d = new Map<PyValue, PyValue>(); setItems(d, popMark()); stack.push(d); break } // DICT
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break } // SETITEMS
      case 0x8f: stack.push(new Set()); break // EMPTY_SET
      case 0x90: { // ADDITEMS
        const items = popMark()
        const s = top()
        if (!(s instanceof Set)) fail(`malformed pickle: adds items to ${describe(s)}`)
        for (const item of items) (s as Set<PyValue>).add(item)
        break
      }
      case 0x91: stack.push(new Set(popMark())); break // FROZENSET
      case 0x67: stack.push(memoGet(memoLine())); break // GET
      case 0x68: stack.push(memoGet(u8(c, name()))); break // BINGET
      case 0x6a: stack.push(memoGet(u32(c, name()))); break // LONG_BINGET
      case 0x70: memo.set(memoLine(), top()); break // PUT
      case 0x71: memo.set(u8(c, name()), top()); break // BINPUT
      case 0x72: memo.set(u32(c, name()), top()); break // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break // MEMOIZE
      case 0x63: { // GLOBAL
        const module = latin1(line(c, name()))
        stack.push(resolve(module, latin1(line(c, name()))))
        break
      }
      case 0x93: { // STACK_GLOBAL
        const qualname = pop()
        const module = pop()
        if (typeof module !== 'string' || typeof qualname !== 'string') fail('malformed pickle: global name is not a str')
        stack.push(resolve(module as string, qualname as string))
        break
      }
      case 0x69: { // INST: class named inline, arguments since MARK
        const module = latin1(line(c, name()))
        const cls = resolve(module, latin1(line(c, name())))
        stack.push(call(cls, popMark()))
        break
      }
      case 0x6f: { // OBJ: class and arguments since MARK
        const [cls, ...args] = popMark()
        stack.push(call(cls ?? null, args))
        break
      }
      case 0x52: { const args = pop(); const fn = pop(); stack.push(call(fn, argsOf(args, fail))); break } // REDUCE
      case 0x81: { const args = pop(); const cls = pop(); stack.push(call(cls, argsOf(args, fail))); break } // NEWOBJ
      case 0x92: { // NEWOBJ_EX
        const kwargs = pop()
        const args = pop()
        const cls = pop()
        if (!isDict(kwargs) || kwargs.size > 0) fail('keyword arguments are not supported')
        stack.push(call(cls, argsOf(args, fail)))
        break
      }
      case 0x62: { const state = pop(); build(top(), state); break } // BUILD
      case 0x51: { const pid = pop(); stack.push(persistent(pid)); break } // BINPERSID
      case 0x50: stack.push(persistent(latin1(line(c, name())))); break // PERSID
      case 0x82: case 0x83: case 0x84: fail('the extension registry (copyreg codes) is not supported'); break
      default:
        throw new PamError(`${source}: unknown pickle opcode 0x${op.toString(16).padStart(2, '0')} at offset ${at}`)
    }
  }
}

const argsOf = (v: PyValue, fail: (m: string) => never): readonly PyValue[] =>
  Array.isArray(v) ? v : fail(`malformed pickle: arguments are ${describe(v)}, not a tuple`)

const checkedLength = (n: number, fail: (m: string) => never): number =>
  n >= 0 ? n : fail(`malformed pickle: negative length ${n}`)
