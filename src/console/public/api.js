// The API client: same origin, JSON in and out, the key (when the server wants one) from this tab's sessionStorage.
import { byId } from './dom.js';

const KEY = 'mnemo.apiKey';

export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
    this.status = status;
  }
}

export const getKey = () => sessionStorage.getItem(KEY);

export function forgetKey() {
  sessionStorage.removeItem(KEY);
  byId('forget-key').hidden = true;
}

let asking;
/** Shows the key dialog once, however many requests are waiting for it; resolves when a key is entered. */
function askForKey(message) {
  asking ??= new Promise((resolve) => {
    const dialog = byId('key-dialog');
    const input = byId('key-input');
    byId('key-error').textContent = message;
    input.value = '';
    // Escape would leave every waiting request hanging: the dialog stays until a key is given.
    dialog.oncancel = (e) => e.preventDefault();
    byId('key-form').addEventListener(
      'submit',
      (e) => {
        e.preventDefault();
        dialog.close();
        sessionStorage.setItem(KEY, input.value.trim());
        byId('forget-key').hidden = false;
        asking = undefined;
        resolve();
      },
      { once: true },
    );
    dialog.showModal();
    input.focus();
  });
  return asking;
}

function headers(extra = {}) {
  const key = getKey();
  return { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

/** fetch() with the key; a 401 asks for a key and tries again (until one works). Returns the Response. */
export async function request(method, path, { body, signal, form } = {}) {
  for (;;) {
    const init = { method, signal, headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }) };
    if (form) init.body = form;
    else if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(path, init);
    if (res.status !== 401) return res;
    const detail = await res.json().then(
      (j) => j.detail,
      () => '',
    );
    await askForKey(getKey() ? `That key was refused: ${detail}` : '');
  }
}

async function failure(res) {
  const text = await res.text();
  try {
    return new ApiError(res.status, JSON.parse(text).detail ?? text);
  } catch {
    return new ApiError(res.status, text || res.statusText);
  }
}

/** JSON call: resolves to the parsed body, throws ApiError with the server's detail otherwise. */
export async function api(method, path, body, opts = {}) {
  const res = await request(method, path, { body, ...opts });
  if (!res.ok) throw await failure(res);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** A call that may not exist on this server (an optional feature): undefined on 404. */
export async function optional(path) {
  const res = await request('GET', path);
  if (res.status === 404) return undefined;
  if (!res.ok) throw await failure(res);
  return res.json();
}

export { failure as errorOf };
