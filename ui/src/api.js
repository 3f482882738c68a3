// The public API, called as any client calls it: the key from the login page goes as
// `Authorization: Bearer` on every request; errors are RFC 9457 problems.
const KEY = "lagebild.apiKey";

export const credentials = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  set(key) {
    sessionStorage.setItem(KEY, key);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Listeners for a refused key (the app sends the reader back to the login page). */
const refusedListeners = [];
export function onKeyRefused(listener) {
  refusedListeners.push(listener);
}

/**
 * Call the API; answer the parsed JSON (null for 204). `json` sends a JSON body, `body` any
 * other (FormData for uploads). Throws ApiError with the problem for every non-2xx answer.
 */
export async function api(path, { method = "GET", json, body, headers = {}, key = credentials.key, signal } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (key) sent.Authorization = `Bearer ${key}`;
  if (json !== undefined) {
    sent["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body, signal, credentials: "omit" });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, { title: "No connection", detail: "The service did not answer; is it running?" });
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const problem = data && typeof data === "object" ? data : { title: response.statusText };
    const error = new ApiError(response.status, problem);
    if (response.status === 401 && key === credentials.key) refusedListeners.forEach((listener) => listener(error));
    throw error;
  }
  return data;
}

/** Every item of a cursor-paginated collection, up to `max` items. */
export async function collect(path, { max = 500, signal } = {}) {
  const items = [];
  let next = path;
  while (next && items.length < max) {
    const page = await api(next, { signal });
    items.push(...page.items);
    next = page.next;
  }
  return items.slice(0, max);
}

/** `query` as a query string, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** Run `work` on each item with at most `limit` at a time; answers results in order. */
export async function mapLimited(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  async function lane() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
