// Calls to the JSON API of the node or hub that served the page. Errors come back as
// {code, message, field} (docs/node-api.yaml); they are thrown as ApiError so a form can show
// `message` next to `field`. State-changing calls carry the session's CSRF token.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `Erreur ${status}`);
    this.status = status;
    this.code = body?.code ?? 'error';
    this.field = body?.field ?? null;
    this.body = body;
  }
}

let csrfToken = sessionStorage.getItem('csrf') ?? null;
export function SetCsrfToken(token) {
  csrfToken = token;
  if (token) sessionStorage.setItem('csrf', token); else sessionStorage.removeItem('csrf');
}

// For calls made another way (an XMLHttpRequest with upload progress).
export function CsrfToken() {
  return csrfToken;
}

// options.headers: extra headers (e.g. X-Edit-Token for the owner's calls).
export async function Api(method, path, body, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers ?? {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { code: 'network', message: 'Serveur injoignable : vérifiez la connexion et réessayez.' });
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const Get = (path, options) => Api('GET', path, undefined, options);
export const Post = (path, body = {}, options) => Api('POST', path, body, options);
export const Put = (path, body = {}, options) => Api('PUT', path, body, options);
export const Patch = (path, body = {}, options) => Api('PATCH', path, body, options);
export const Delete = (path, options) => Api('DELETE', path, undefined, options);

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
