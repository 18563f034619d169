import type { Berth } from "./berth";

/** One row of the benchmark table: the same metric for the raw engine and for Berth. */
export interface Row {
  metric: string;
  unit: string;
  raw: number | null;
  berth: number;
  /** A goal, in words, e.g. "≥ 0.9× raw". */
  goal?: string;
  /** Whether the goal was met, when there is one. */
  met?: boolean;
}

export interface Measure {
  name: string;
  run(berth: Berth, workDir: string): Promise<Row[]>;
}
