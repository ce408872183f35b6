// The portal's calls to /api/v1: same origin, the session cookie, and the page's CSRF
// token on every request that changes something. Errors arrive in the API's one shape.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

export function signInAgain(): void {
  window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
}

export async function api<T>(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, 'network', 'kubelab did not answer: check your connection and try again.');
  }
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: a proxy's error page, say. The status speaks for it below.
  }
  if (!response.ok) {
    if (response.status === 401) signInAgain();
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `kubelab answered ${response.status}`, error?.details ?? null);
  }
  return data as T;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
