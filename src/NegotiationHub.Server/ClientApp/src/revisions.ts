/**
 * A contract's revision timeline as the auditor reads it: each revision's shares, what changed since
 * the revision before it, and how far it still is from the optimum s* it was revised toward (MODEL §5:
 * a valid revision never moves a share away from s*, so the distance never grows).
 */

/** A revision as GET /api/sessions/{id}/history sends it (shares are stored as JSON text). */
export interface RevisionRecord {
  number: number;
  kind: string;
  period: number;
  sharesJson: string;
  optimumJson?: string | null;
  tangibleSharesJson?: string | null;
  lambda?: number | null;
  createdUtc?: string | null;
}

/** One row of the timeline. */
export interface RevisionStep {
  number: number;
  kind: string;
  period: number;
  lambda: number | null;
  createdUtc: string | null;
  shares: number[];
  /** shares[i] − the previous revision's shares[i]; null for the first revision or when the party count differs. */
  deltas: (number | null)[];
  /** The optimum s* behind this revision, when it names one. */
  optimum: number[] | null;
  /** max_i |shares[i] − optimum[i]|, or null without an optimum. */
  distanceToOptimum: number | null;
  tangibleShares: number[] | null;
}

/** Parses a JSON array of finite numbers; anything else (bad JSON, other shapes) gives null. */
export function parseShares(json: string | null | undefined): number[] | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (value as number[]) : null;
  } catch {
    return null;
  }
}

/** Orders the revisions by number and computes each one's changes against its predecessor. */
export function revisionTimeline(records: readonly RevisionRecord[]): RevisionStep[] {
  const sorted = [...records].sort((a, b) => a.number - b.number);
  let previous: number[] | null = null;
  return sorted.map((r) => {
    const shares = parseShares(r.sharesJson) ?? [];
    const before = previous;
    const deltas = shares.map((s, i) => (before && before.length === shares.length ? s - before[i]! : null));
    const optimum = parseShares(r.optimumJson);
    const distanceToOptimum = optimum && optimum.length === shares.length && shares.length > 0
      ? Math.max(...shares.map((s, i) => Math.abs(s - optimum[i]!)))
      : null;
    previous = shares;
    return {
      number: r.number, kind: r.kind, period: r.period, lambda: r.lambda ?? null, createdUtc: r.createdUtc ?? null,
      shares, deltas, optimum, distanceToOptimum, tangibleShares: parseShares(r.tangibleSharesJson),
    };
  });
}

/** A change for display: "+0.0125", "−0.0125" (true minus sign), "0" for no change, "" when unknown. */
export function formatDelta(delta: number | null, digits = 4): string {
  if (delta === null) return '';
  const rounded = Number(delta.toFixed(digits));
  if (rounded === 0) return '0';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(digits)}`;
}
