// Calls to the JSON API of the node or hub that served the page. Errors come back as
// {code, message, field} (docs/node-api.yaml); they are thrown as ApiError so a form can show
// `message` next to `field`. State-changing calls carry the session's CSRF token.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `Erreur ${status}`);
    this.status = status;
    this.code = body?.code ?? 'error';
    this.field = body?.field ?? null;
  }
}

let csrfToken = sessionStorage.getItem('csrf') ?? null;
export function SetCsrfToken(token) {
  csrfToken = token;
  if (token) sessionStorage.setItem('csrf', token); else sessionStorage.removeItem('csrf');
}

export async function Api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const Get = (path) => Api('GET', path);
export const Post = (path, body = {}) => Api('POST', path, body);
export const Put = (path, body = {}) => Api('PUT', path, body);
export const Delete = (path) => Api('DELETE', path);

// Query string from an object, skipping empty values.
export function Query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
