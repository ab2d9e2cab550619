/**
 * Cross-origin isolation without the host's help. Browsers give a page
 * SharedArrayBuffer (which the engine's workers share frames and counters
 * through) only when its document comes with COOP `same-origin` and COEP
 * `require-corp`, and each worker script with COEP too. Most static hosts
 * send neither, so the service worker adds both to every same-origin
 * response it serves. Everything VidStega loads is its own, so
 * `require-corp` blocks nothing.
 */

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The same response with the isolation headers set (replacing any the host
 * sent). Opaque and error responses cannot be rebuilt and are passed as they
 * are.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
