import type { FieldError, ProblemBody } from '@vigie/domain/problems';

/** A failed API call, carrying the problem+json body (code, title, field errors). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemBody,
  ) {
    super(problem.detail ? `${problem.title} — ${problem.detail}` : problem.title);
  }
  get code(): string {
    return this.problem.code;
  }
  /** Field messages by field path, for showing next to the inputs. */
  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

/** A query value: lists are sent comma-joined, empty values are left out (apiUrl). */
export type QueryValue = string | number | undefined | null | readonly string[];
type Query = Record<string, QueryValue>;

let csrfToken: string | null = null;
let language: 'fr' | 'en' = 'fr';
const unauthenticatedListeners = new Set<(err: ApiError) => void>();

/** The session's CSRF token, sent as X-CSRF-Token on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
/** The language asked of the server for its messages (Accept-Language). */
export function setApiLanguage(lang: 'fr' | 'en'): void {
  language = lang;
}
/** Called when the server says the session is gone (expired or signed out elsewhere). */
export function onUnauthenticated(fn: (err: ApiError) => void): () => void {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

/** Builds `/api/v1/<path>?…`, dropping empty values and joining lists with commas. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) params.set(k, v.join(','));
    } else params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1/${path.replace(/^\//, '')}${qs ? `?${qs}` : ''}`;
}

/** One JSON call to the API with the session cookie; errors become ApiError. */
export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, options: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  // A FormData body (a file) sets its own multipart content type.
  const form = options.body instanceof FormData ? options.body : undefined;
  if (options.body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(apiUrl(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    body: form ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    signal: options.signal,
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem = (data && typeof data === 'object' && 'code' in data
      ? data
      : { type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status, code: 'internal' }) as ProblemBody;
    const err = new ApiError(res.status, problem);
    if (res.status === 401 && !path.startsWith('auth/login')) unauthenticatedListeners.forEach((fn) => fn(err));
    throw err;
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, { body: body ?? {} });
/** Sends one file as multipart/form-data in the part `field`. */
export const postFile = <T>(path: string, field: string, file: File) => {
  const form = new FormData();
  form.append(field, file, file.name);
  return api<T>('POST', path, { body: form });
};
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, { body });
export const del = <T>(path: string) => api<T>('DELETE', path);
