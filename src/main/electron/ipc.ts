/**
 * The one door between the window and main: a single invoke channel carrying (method, payload).
 * The sender frame is checked before the payload is even looked at; `dispatch` then validates
 * the payload against the contract and never throws, so the reply is always a plain object.
 */
import type { Handlers } from '../../common/api.js';
import { dispatch, type DispatchResult } from '../handlers.js';
import { isTrustedSender } from './app-url.js';
import type { WebFrameSurface } from './electron-surface.js';

/** Must match `CHANNEL` in src/preload/index.ts. */
export const CHANNEL = 'gloss:call';

interface InvokeEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: WebFrameSurface | null;
}

interface IpcSurface {
  ipcMain: {
    handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
    removeHandler(channel: string): void;
  };
}

/**
 * Registers the channel. `windowIds` gives the web contents ids of Gloss's windows at call time;
 * `handlers` is read at call time too, so main can swap the table (e.g. after reopening).
 */
export function registerIpc(handlers: () => Handlers, windowIds: () => readonly number[]): () => void {
  const { ipcMain } = require('electron') as IpcSurface;
  ipcMain.handle(CHANNEL, async (event, method, payload): Promise<DispatchResult> => {
    let frameUrl: string | null = null;
    let isMainFrame = false;
    try {
      // A frame that has navigated away or been destroyed throws on access.
      frameUrl = event.senderFrame?.url ?? null;
      isMainFrame = event.senderFrame !== null && event.senderFrame.parent === null;
    } catch {
      frameUrl = null;
    }
    const refusal = isTrustedSender({ senderContentsId: event.sender.id, frameUrl, isMainFrame }, windowIds());
    if (refusal) throw new Error(`Gloss refused the call: ${refusal}`);
    if (typeof method !== 'string') return { ok: false, status: 400, error: { message: 'The method name must be a string', code: 'invalid' } };
    return dispatch(handlers(), method, payload);
  });
  return () => ipcMain.removeHandler(CHANNEL);
}
