// Calls to Kiln's HTTP API: JSON in and out, the bearer token on every call once the server has asked for one,
// and the server's error text kept whole.

const TOKEN_KEY = 'kiln.token';

/** An error answer from the server: its HTTP status, its `details` sentence and its error id. */
export class ApiError extends Error {
  constructor(status, details, id) {
    super(details);
    this.status = status;
    this.id = id;
  }
}

let askForToken = () => Promise.reject(new Error('This server needs an access token'));
let asking = null;

/** Sets how the page asks for a token: a function of the server's refusal text returning a promise of a token. */
export function onTokenNeeded(ask) {
  askForToken = ask;
}

/** The token this tab holds, or null. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Drops the token this tab holds. */
export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Request headers with the token, when the tab holds one. */
export function authHeaders(extra = {}) {
  const t = token();
  return t ? { ...extra, Authorization: `Bearer ${t}` } : { ...extra };
}

/**
 * Handles a 401 for a request sent with `used` (a token or null): waits until a token is given. Every call refused
 * at the same time waits for the same answer; a call refused for a token that has since been replaced just retries.
 */
export async function refused(used, response) {
  const error = await errorOf(response);
  if (token() !== used) return;
  if (!asking) {
    asking = askForToken(used ? error.message : null).then((given) => {
      sessionStorage.setItem(TOKEN_KEY, given);
      asking = null;
    });
  }
  await asking;
}

/**
 * Calls the API and answers the parsed JSON (or the text, with `as: 'text'`).
 *
 * Throws ApiError with the server's own message when it refuses, TypeError when it cannot be reached.
 */
export async function api(path, { method = 'GET', body, as = 'json' } = {}) {
  for (;;) {
    const used = token();
    const headers = authHeaders({ Accept: as === 'json' ? 'application/json' : 'text/plain' });
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) {
      await refused(used, response);
      continue;
    }
    if (!response.ok) throw await errorOf(response);
    return as === 'text' ? response.text() : response.json();
  }
}

/** The ApiError for a refused response, from caikit's error shape {code, details, id} when the body has it. */
export async function errorOf(response) {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // the body is gone; the status says enough
  }
  try {
    const json = JSON.parse(text);
    if (json && typeof json.details === 'string') return new ApiError(response.status, json.details, json.id);
  } catch {
    // not JSON
  }
  return new ApiError(response.status, text.trim() || `The server answered ${response.status} ${response.statusText}`);
}

/** A sentence for any error a call can end with. */
export function describe(error) {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'Cannot reach the Kiln server. Is it running?';
  return String(error && error.message ? error.message : error);
}
