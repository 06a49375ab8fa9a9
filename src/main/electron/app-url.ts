/**
 * Where the Electron window's page comes from: a privileged custom scheme rather than file://,
 * so the page has a real origin ('self' in the CSP means our files only, not the whole disk) and
 * the sender check has one exact thing to compare with.
 */
export const APP_SCHEME = 'gloss';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** What the IPC handler knows about the frame that sent a call. */
export interface SenderInfo {
  /** `event.sender.id`: the web contents the call came from. */
  senderContentsId: number;
  /** The URL of `event.senderFrame`, or null when the frame is gone (navigated away or closed). */
  frameUrl: string | null;
  /** Whether `event.senderFrame` is the top frame (has no parent). */
  isMainFrame: boolean;
}

/**
 * A call is ours when it comes from the main frame of our window, showing our page. Any iframe
 * (there should be none) or a page that somehow navigated elsewhere is refused.
 */
export function isTrustedSender(sender: SenderInfo, windowContentsIds: readonly number[]): string | null {
  if (!windowContentsIds.includes(sender.senderContentsId)) return 'the call did not come from a Gloss window';
  if (sender.frameUrl === null) return 'the calling frame is gone';
  if (!sender.isMainFrame) return 'the call came from a subframe';
  if (!isAppUrl(sender.frameUrl)) return `the calling page (${sender.frameUrl}) is not Gloss's own`;
  return null;
}
