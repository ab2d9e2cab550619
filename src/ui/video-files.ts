/** Telling videos from other files when they are dropped, pasted or opened with the app. */

const VIDEO_EXTENSIONS = /\.(mp4|m4v|mov|mkv|webm|avi|mpg|mpeg|m2ts|mts|3gp|ogv|wmv|flv)$/i;

/** True for a file the browser calls a video, or one whose name ends like a video's. */
export function isVideoFile(file: { readonly name: string; readonly type: string }): boolean {
  return file.type.startsWith('video/') || VIDEO_EXTENSIONS.test(file.name);
}
