// The one interleaving loop of the bench harness. Every suite measures its
// turns in rounds (A B C A B C ...), so slow drifts in the machine's load
// touch every turn alike and each ratio pairs figures taken minutes apart at
// most; a turn that fails leaves a hole in its round and the run goes on.

/** A turn's figures by name (e.g. "hello.rps", "ratio"). */
export type Figures = Record<string, number>;

/** One figure of one turn, one entry per round (undefined where that round failed). */
export type Series = (number | undefined)[];

export interface Turn {
  id: string;
  /** Measures the turn once; throws when it cannot (recorded as a failure). */
  measure(round: number): Promise<Figures>;
  /** One line for the progress log. */
  describe?(figures: Figures): string;
}

export interface RoundsSettings {
  rounds: number;
  /** Start each round one turn later (B C A, C A B, ...), for turns on servers kept running, so none always gets the first slot. */
  rotate?: boolean;
}

export interface RoundsResult {
  /** turn id -> figure name -> per-round values. */
  samples: Map<string, Map<string, Series>>;
  /** One line each ("round 2, lsky-node-1: ..."). */
  failures: string[];
}

/** The order of the turns in a round (0-based). */
export function roundOrder<T>(turns: readonly T[], round: number, rotate: boolean): T[] {
  if (!rotate || turns.length === 0) return [...turns];
  const shift = round % turns.length;
  return [...turns.slice(shift), ...turns.slice(0, shift)];
}

export async function runRounds(suite: string, turns: Turn[], settings: RoundsSettings): Promise<RoundsResult> {
  const result: RoundsResult = { samples: new Map(turns.map((t) => [t.id, new Map()])), failures: [] };
  for (let round = 0; round < settings.rounds; round++) {
    for (const turn of roundOrder(turns, round, settings.rotate ?? false)) {
      const where = `round ${round + 1}/${settings.rounds} ${turn.id}`;
      try {
        const figures = await turn.measure(round);
        record(result, turn.id, round, figures);
        log(`${suite} ${where}: ${turn.describe?.(figures) ?? describeFigures(figures)}`);
      } catch (error) {
        const line = `round ${round + 1}, ${turn.id}: ${(error as Error).message}`;
        result.failures.push(line.split("\n")[0]!);
        log(`${suite} ${line}`);
      }
    }
  }
  return result;
}

export function record(result: RoundsResult, id: string, round: number, figures: Figures): void {
  const byFigure = result.samples.get(id) ?? new Map<string, Series>();
  result.samples.set(id, byFigure);
  for (const [name, value] of Object.entries(figures)) {
    const series = byFigure.get(name) ?? [];
    series[round] = value;
    byFigure.set(name, series);
  }
}

/** A turn's values of one figure, by round (empty when it never succeeded). */
export function series(result: RoundsResult, id: string, figure: string): Series {
  return result.samples.get(id)?.get(figure) ?? [];
}

function describeFigures(figures: Figures): string {
  return Object.entries(figures).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(3)}`).join(", ");
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
