/** Client-side checks that mirror the server's rules, so a bad bid is caught before it is sent. */

export type DemandCheck =
  | { ok: true; value: number }
  | { ok: false; reason: 'required' | 'notANumber' | 'belowDisagreement' | 'abovePool'; min: number; max: number };

/**
 * MODEL §4: a demand D_i must be a finite number in [d_i, K]. The text is what the user typed;
 * both "." and "," are accepted as the decimal separator (zh-CN and en keyboards).
 */
export function checkDemand(text: string, disagreement: number, pool: number): DemandCheck {
  const min = disagreement;
  const max = pool;
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return { ok: false, reason: 'required', min, max };
  // Number('') is 0 and Number('0x10') is 16: only plain decimal notation is a demand.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return { ok: false, reason: 'notANumber', min, max };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, reason: 'notANumber', min, max };
  if (value < min) return { ok: false, reason: 'belowDisagreement', min, max };
  if (value > max) return { ok: false, reason: 'abovePool', min, max };
  return { ok: true, value };
}

/** Parses a Saaty judgement such as "3", "1/5" or "0.2"; null when it is not a positive finite number. */
export function parseJudgement(text: string): number | null {
  const t = text.trim();
  const fraction = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(t);
  const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : /^\d*\.?\d+$/.test(t) ? Number(t) : NaN;
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** Parses "1, 2.5, 3" into numbers; null if any entry is not a finite number. */
export function parseNumberList(text: string): number[] | null {
  const parts = text.split(/[,\s;，]+/).filter((p) => p.length > 0);
  const values = parts.map(Number);
  return values.length > 0 && values.every(Number.isFinite) ? values : null;
}
