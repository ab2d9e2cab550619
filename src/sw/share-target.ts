/**
 * The Web Share Target: once installed, "Share → VidStega" makes the browser
 * POST the video here (multipart/form-data, the manifest's `share_target`).
 * No server sees it: the service worker takes the POST, keeps the files in
 * the share inbox and sends the browser on to the app, which opens them.
 */
import { SHARED_PARAM, putShared } from './share-inbox.ts';

/** The form field the manifest names for the shared files. */
export const SHARE_FIELD = 'video';

/** Whether a request is the share's POST to `<scope>share-target`. */
export function isShareTarget(request: Request, scope: string): boolean {
  return request.method === 'POST' && request.url === new URL('share-target', scope).href;
}

/** Stores what was shared and redirects to the app (See Other, so the browser follows with a GET). */
export async function receiveShare(request: Request, scope: string): Promise<Response> {
  const app = new URL('./', scope);
  try {
    const form = await request.formData();
    const files = form.getAll(SHARE_FIELD).filter((v): v is File => typeof v !== 'string' && v.size > 0);
    if (files.length > 0) app.searchParams.set(SHARED_PARAM, await putShared(files));
  } catch (e) {
    console.warn('VidStega: the shared files could not be read', e);
  }
  return Response.redirect(app.href, 303);
}
