/**
 * Issue 4 end to end, with real processes: `pam train --resume DIR` continues a run stopped by
 * SIGKILL mid-step and reaches the weights of an uninterrupted run, byte for byte, on the same
 * backend. A runs to the end; B is killed a little after its first checkpoint, once it has
 * logged a step that checkpoint does not hold (so the resume must also drop that metrics
 * record); then B is resumed to the end. Both share one synthetic set, which A generates.
 *
 * The cpu backend: single-threaded plain JavaScript, the same on every machine, and at this size
 * as fast as wasm. 10 steps of IR18+PAM12 at 16×16, width 1/16: ~12 s idle, ~35 s on a loaded
 * 2-core machine.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

const PAM = path.resolve(__dirname, '../../../../bin/pam.js')
const BACKEND = 'cpu'
/** 8 identities × 5 images, batch 8: 5 steps per epoch, 10 in all; a checkpoint every 2 steps. */
const STEPS = 10
/** After the step the kill waits for: well inside the next step (~0.3 s on an idle machine). */
const KILL_DELAY_MS = 100

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** stdout and stderr, interleaved as they arrived. */
  readonly output: string
}

interface Pam {
  kill(): void
  /** Whether the process has ended (it may still be flushing its output). */
  readonly ended: () => boolean
  readonly exit: Promise<Exit>
}

/** `node bin/pam.js ...args` as a child process. */
const pam = (args: readonly string[]): Pam => {
  const child = spawn(process.execPath, [PAM, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exit = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, output }))
  })
  return { kill: () => child.kill('SIGKILL'), ended: () => child.exitCode !== null || child.signalCode !== null, exit }
}

/** Polls `ok` every 10 ms; fails when `p` ends first or after `ms`. */
const waitFor = async (what: string, ok: () => boolean, p: Pam, ms = 180_000): Promise<void> => {
  const deadline = Date.now() + ms
  while (!ok()) {
    if (p.ended()) throw new Error(`pam ended before ${what}:\n${(await p.exit).output}`)
    if (Date.now() > deadline) throw new Error(`no ${what} after ${ms / 1000} s`)
    await sleep(10)
  }
}

const completeLines = (file: string): number => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0)

/** The metrics records without their timing fields, which differ from run to run. */
const metrics = (run: string): unknown[] =>
  fs
    .readFileSync(path.join(run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { time: _time, imagesPerSecond: _ips, ...rest } = JSON.parse(l)
      return rest
    })

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-train-kill-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))

const configFile = path.join(tmp, 'config.json')
fs.writeFileSync(
  configFile,
  JSON.stringify({
    model: 'IR18+PAM12',
    size: 16,
    width: 1 / 16,
    embedding: 16,
    dropout: 0.2,
    data: { kind: 'synthetic', dir: path.join(tmp, 'data'), identities: 8, imagesPerIdentity: 5, testIdentities: 20, seed: 1 },
    epochs: 2,
    batchSize: 8,
    milestones: [1],
    head: { kind: 'arcface', s: 8, m: 0.2 },
    checkpointEverySteps: 2,
    logEverySteps: 1,
  }),
)

t.test('a run killed with SIGKILL mid-step and resumed reaches the weights of an uninterrupted run', async (t) => {
  const a = path.join(tmp, 'A')
  const b = path.join(tmp, 'B')

  const full = await pam(['train', '--config', configFile, '--out', a, '--backend', BACKEND]).exit
  t.equal(full.code, 0, 'the uninterrupted run succeeds', { output: full.output })
  t.match(full.output, `trained ${STEPS} steps`)

  const killed = pam(['train', '--config', configFile, '--out', b, '--backend', BACKEND])
  t.teardown(() => killed.kill())
  const latest = path.join(b, 'checkpoints', 'LATEST')
  await waitFor('the first checkpoint', () => fs.existsSync(latest), killed)
  const first = path.join(b, 'checkpoints', fs.readFileSync(latest, 'utf8'))
  const { metricsLines } = JSON.parse(fs.readFileSync(path.join(first, 'state.json'), 'utf8'))
  await waitFor('a step after the first checkpoint', () => completeLines(path.join(b, 'metrics.jsonl')) > metricsLines, killed)
  await sleep(KILL_DELAY_MS)
  killed.kill()
  const stop = await killed.exit
  t.equal(stop.signal, 'SIGKILL', 'B was killed, not finished', { output: stop.output })
  t.notOk(fs.existsSync(path.join(b, 'model')), 'B had not written its final model')

  const kept = fs.readFileSync(latest, 'utf8')
  const state = JSON.parse(fs.readFileSync(path.join(b, 'checkpoints', kept, 'state.json'), 'utf8'))
  const logged = completeLines(path.join(b, 'metrics.jsonl'))
  t.ok(state.globalStep < STEPS, `killed at ${kept} of ${STEPS} steps`)
  t.comment(`killed after ${kept}; ${logged} metrics records on disk, ${logged - state.metricsLines} of them to rerun`)

  const resumed = await pam(['train', '--resume', b, '--backend', BACKEND]).exit
  t.equal(resumed.code, 0, 'the resumed run succeeds', { output: resumed.output })
  t.match(resumed.output, `resumed from ${path.join(b, 'checkpoints', kept)} `)
  t.match(resumed.output, `trained ${STEPS} steps`)

  const same = (rel: string) => fs.readFileSync(path.join(a, rel)).equals(fs.readFileSync(path.join(b, rel)))
  t.ok(same('model/weights.bin'), 'model/weights.bin is byte-identical')
  const last = `checkpoints/step-${String(STEPS).padStart(8, '0')}/extra.bin`
  t.ok(same(last), 'the final head and momentum buffers are byte-identical')
  t.same(metrics(b), metrics(a), 'the same metrics records (losses, accuracies, lrs), none duplicated or lost')
  t.equal(metrics(b).length, STEPS)
})
