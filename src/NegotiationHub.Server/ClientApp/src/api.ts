import type { ProblemDetails } from './problems';
import { mapProblem } from './problems';

/** A non-success HTTP answer, carrying the problem details the server sent. */
export class ApiError extends Error {
  constructor(public readonly status: number, public readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

/** Calls the server's JSON API with the session cookie; throws ApiError on a non-2xx answer. */
export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const problem = (json && typeof json === 'object' ? json : { title: text || response.statusText }) as ProblemDetails;
    throw new ApiError(response.status, { status: response.status, ...problem });
  }
  return json as T;
}

/**
 * Shows a failure next to the inputs it names: every element with data-field inside the form gets
 * its messages in the error slot linked by aria-describedby; the rest go to the form's general slot.
 */
export function showErrors(form: HTMLElement, error: unknown): void {
  clearErrors(form);
  const problem: ProblemDetails = error instanceof ApiError ? error.problem : { title: error instanceof Error ? error.message : String(error) };
  const inputs = Array.from(form.querySelectorAll<HTMLElement>('[data-field]'));
  const mapped = mapProblem(problem, inputs.map((i) => i.dataset.field ?? ''));
  // Several inputs may share one error slot (a table of cells): there each message says which cell.
  const slots = new Map<HTMLElement, string[]>();
  for (const [fieldPath, messages] of mapped.fields) {
    const input = inputs.find((i) => i.dataset.field === fieldPath);
    if (!input) continue;
    input.setAttribute('aria-invalid', 'true');
    const slotId = input.getAttribute('aria-describedby') ?? '';
    const slot = document.getElementById(slotId);
    if (!slot) continue;
    const shared = inputs.filter((i) => i.getAttribute('aria-describedby') === slotId).length > 1;
    const label = input.getAttribute('aria-label') ?? fieldPath;
    slots.set(slot, [...(slots.get(slot) ?? []), ...messages.map((m) => (shared ? `${label}: ${m}` : m))]);
  }
  for (const [slot, messages] of slots) slot.textContent = messages.join(' ');
  const general = form.querySelector('.form-error');
  if (general) general.textContent = mapped.general.join(' ');
}

export function clearErrors(form: HTMLElement): void {
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error, .form-error').forEach((e) => (e.textContent = ''));
}
