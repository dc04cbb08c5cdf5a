/** RFC 7807 problem details as the server sends them, and how they map onto a form's inputs. */

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  /** A stable error code the client can act on (e.g. two_factor_code_required). */
  code?: string;
  /** Each broken rule with its stable code and figures (the same rules as errors, which has their English text). */
  fieldErrors?: CodedFieldError[];
}

/** One broken rule as the server codes it: translated on the client, its English message the fallback. */
export interface CodedFieldError { field: string; code: string; args?: Record<string, string>; message: string }

/** Turns a coded rule into the user's language, or null to keep the server's message. */
export type RuleTranslator = (error: CodedFieldError) => string | null;

let defaultTranslator: RuleTranslator | undefined;

/** The translator every mapProblem uses when given none (the app sets one that follows the chosen language). */
export function setRuleTranslator(translate: RuleTranslator): void {
  defaultTranslator = translate;
}

export interface FieldErrors {
  /** Messages per form field (the field's JSON path, e.g. "pool" or "factorMatrix"). */
  fields: Map<string, string[]>;
  /** Messages that name no field of the form: shown at the top of the form. */
  general: string[];
}

/**
 * Finds the form field an error key belongs to: the key itself, or the nearest enclosing path
 * ("factorMatrix[0][1]" → "factorMatrix[0]" → "factorMatrix"; "utilities[0].kind" → "utilities[0]" → "utilities").
 * Keys are compared case-insensitively on their first letter because the server uses camelCase but
 * ASP.NET's own validation sometimes reports PascalCase ("Pool").
 */
export function fieldFor(key: string, fields: readonly string[]): string | null {
  const normal = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
  const known = new Map(fields.map((f) => [normal(f), f]));
  let path = normal(key.replace(/^\$\.?/, ''));
  for (;;) {
    const hit = known.get(path);
    if (hit !== undefined) return hit;
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    if (cut <= 0) return null;
    path = path.slice(0, cut);
  }
}

/** Splits a problem's errors into per-field messages and the rest (title/detail when nothing else). */
export function mapProblem(problem: ProblemDetails, fields: readonly string[], translate: RuleTranslator | undefined = defaultTranslator): FieldErrors {
  const result: FieldErrors = { fields: new Map(), general: [] };
  for (const [key, messages] of Object.entries(translatedErrors(problem, translate))) {
    const field = fieldFor(key, fields);
    // A message that says where it is ("line 3: …", a CSV row) needs no key in front of it.
    const texts = messages.map((m) => (field !== null && key !== field && !/^line \d+/.test(m) ? `${key}: ${m}` : m));
    if (field === null) result.general.push(...messages.map((m) => (key ? `${key}: ${m}` : m)));
    else result.fields.set(field, [...(result.fields.get(field) ?? []), ...texts]);
  }
  if (result.fields.size === 0 && result.general.length === 0) {
    const text = [problem.title, problem.detail].filter(Boolean).join(' ');
    if (text) result.general.push(text);
  }
  return result;
}

/** The problem's messages by field, each coded rule in the user's language where the translator knows it. */
function translatedErrors(problem: ProblemDetails, translate?: RuleTranslator): Record<string, string[]> {
  if (!translate || !problem.fieldErrors?.length) return problem.errors ?? {};
  const byField: Record<string, string[]> = {};
  for (const e of problem.fieldErrors) (byField[e.field] ??= []).push(translate(e) ?? e.message);
  // Keys only the English list has (none today) are kept as they are.
  for (const [key, messages] of Object.entries(problem.errors ?? {})) if (!(key in byField)) byField[key] = messages;
  return byField;
}
