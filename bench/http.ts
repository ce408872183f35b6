// One authenticated request to a kubelab server under benchmark; anything 4xx/5xx throws,
// so a benchmark never reports figures of failed requests.
export type Call = (token: string, method: string, url: string, body?: string) => Promise<string>;

export function apiCaller(base: string): Call {
  return async (token, method, url, body) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'text/yaml' } : {}) },
      ...(body ? { body } : {}),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text;
  };
}
