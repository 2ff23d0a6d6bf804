/**
 * `pam export --checkpoint DIR --to FILE.pth [--family evolve|insightface] [--backbone-only]`
 *
 * Writes a saved model directory (`pam train`, `pam import`) as a PyTorch state_dict that
 * `torch.load` reads (zip format, float32): face.evoLVe's names for IR models, insightface's for
 * iResNet models (the family follows the model; `--family` only checks it). Each BatchNorm gets
 * `num_batches_tracked` = 0 as int64, as PyTorch's own state_dicts have. PAM / DREAM weights, which
 * neither original model has, are written under their block paths (`pam1.drm.res.1.weight`, in
 * PyTorch layouts) unless `--backbone-only`.
 */
import { disposeModel } from '../../../dsl/compile/dispose'
import * as E from 'fp-ts/Either'
import { parseModelName } from '../../../models/zoo'
import { familyOfZoo, familyTitle, withArticle } from '../../import/families'
import { exportModel } from '../../import/import-checkpoint'
import { writeTorchSave } from '../../io/torch-save'
import { loadModel } from '../../persist/model-dir'
import { MODEL_INFO, readModelInfo } from '../../persist/model-info'
import { readSavedWeights } from '../../persist/weights'
import { PamError } from '../../util/errors'
import { parseFlags, requiredFlag, type Parsed } from '../args'
import { initBackend } from '../backend-init'
import { parseFamily } from './import'

export const EXPORT_USAGE = 'usage: pam export --checkpoint DIR --to FILE.pth [--family evolve|insightface] [--backbone-only]'

const OPTIONS = {
  checkpoint: { type: 'string' },
  to: { type: 'string' },
  family: { type: 'string' },
  'backbone-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const required = (values: Parsed['values'], name: string, what: string): string => requiredFlag('export', EXPORT_USAGE, values, name, what)

const blocksOf = (keys: readonly string[]): string => [...new Set(keys.map((k) => k.split('.')[0]))].join(', ')

export const runExport = async (argv: readonly string[], log: (line: string) => void): Promise<number> => {
  const { values } = parseFlags('export', argv, OPTIONS)
  if (values.help) {
    log(EXPORT_USAGE)
    return 0
  }
  const dir = required(values, 'checkpoint', 'DIR')
  const to = required(values, 'to', 'FILE.pth')
  const asked = typeof values.family === 'string' ? parseFamily('export', values.family) : undefined
  const info = readModelInfo(dir)
  const spec = parseModelName(info.model)
  if (E.isLeft(spec)) throw new PamError(`${dir}/${MODEL_INFO}: ${spec.left}`)
  const family = familyOfZoo(spec.right.family)
  if (asked !== undefined && asked !== family) {
    throw new PamError(`pam export: ${dir} holds ${spec.right.name}, ${withArticle(family)}; it exports as --family ${family}, not ${asked}`)
  }
  await initBackend()
  const model = await loadModel(dir)
  try {
    const exported = exportModel(model, family, readSavedWeights(dir), { backboneOnly: values['backbone-only'] === true })
    writeTorchSave(to, exported.entries)
    const counters = exported.entries.filter(([, t]) => t.writeAs === 'int64').length
    log(`pam export: ${dir} (${spec.right.name}) → ${to}: ${exported.entries.length} tensors in ${familyTitle[family]}'s naming`)
    log(`  ${exported.backbone} backbone weights, ${counters} num_batches_tracked (int64 0)`)
    if (exported.extra.length) log(`  ${exported.extra.length} weights of ${blocksOf(exported.extra)} under their block paths (not part of ${familyTitle[family]}; load with strict=False)`)
    if (exported.omitted.length) log(`  left out (--backbone-only): ${exported.omitted.length} weights of ${blocksOf(exported.omitted.map((n) => n.replace(/\//g, '.')))}`)
  } finally {
    disposeModel(model)
  }
  return 0
}

export async function exportCommand(argv: string[]): Promise<number> {
  return runExport(argv, (line) => console.log(line))
}
