/**
 * The parameter figures the paper prints (Tables 1, 2, 6 and 7), as printed and as exact
 * integers (the "M" figures' exact values follow from the architecture; see
 * ../shared/docs/ARCHITECTURE.md). A delta is over IR50.
 */
export interface PaperFigure {
  readonly table: string
  readonly model: string
  /** As the paper prints it. */
  readonly printed: string
  readonly kind: 'total' | 'delta'
  /** The exact count the printed figure stands for. */
  readonly exact: number
}

export const PAPER_FIGURES: readonly PaperFigure[] = [
  { table: 'Table 1', model: 'IR50', printed: '43.57M', kind: 'total', exact: 43_574_976 },
  { table: 'Table 1', model: 'IR50+PAM1234', printed: '+ 65,600', kind: 'delta', exact: 65_600 },
  { table: 'Table 1', model: 'IR50+PAM34', printed: '+ 58,624', kind: 'delta', exact: 58_624 },
  { table: 'Table 1', model: 'IR50+PAM12', printed: '+ 6,976', kind: 'delta', exact: 6_976 },
  { table: 'Table 1', model: 'IR50+PAM123', printed: '+ 21,056', kind: 'delta', exact: 21_056 },
  { table: 'Table 1', model: 'IR50+PAM124', printed: '+ 51,520', kind: 'delta', exact: 51_520 },
  { table: 'Table 2', model: 'IR50+PAM12-C', printed: '+ 372,160', kind: 'delta', exact: 372_160 },
  { table: 'Table 2', model: 'IR50+PAM12-D', printed: '+ 6,976', kind: 'delta', exact: 6_976 },
  { table: 'Table 6', model: 'IR100', printed: '65.13M', kind: 'total', exact: 65_129_792 },
  { table: 'Table 6', model: 'IR50+PAM12', printed: '43.58M', kind: 'total', exact: 43_581_952 },
  { table: 'Table 7', model: 'IR50+DREAM', printed: '+ 525,312', kind: 'delta', exact: 525_312 },
  { table: 'Table 7', model: 'IR50+PAM12', printed: '+ 6,976', kind: 'delta', exact: 6_976 },
]

/** `43,581,952` → `43.58M`: checks a printed "M" figure is the exact count rounded. */
export const inMillions = (n: number): string => `${(n / 1e6).toFixed(2)}M`
