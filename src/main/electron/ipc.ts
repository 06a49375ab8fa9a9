/**
 * The one door between the window and main: a single invoke channel carrying (method, payload).
 * The sender frame is checked before the payload is even looked at; `dispatch` then validates
 * the payload against the contract and never throws, so the reply is always a plain `Reply`
 * object (src/common/errors.ts), the same one the browser host sends.
 */
import type { Handlers } from '../../common/api.js';
import { failure, type Reply } from '../../common/errors.js';
import { dispatch, errorReply, toReply } from '../handlers.js';
import { isTrustedSender } from './app-url.js';
import type { WebFrameSurface } from './electron-surface.js';

/** Must match `CHANNEL` in src/preload/index.ts. */
export const CHANNEL = 'gloss:call';

export interface InvokeEvent {
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
 * Answers one call on the channel: the sender frame first, then `dispatch`. Always a `Reply`, the
 * same object the browser host sends as its body; never a throw, which contextBridge would reduce
 * to a bare message.
 */
export async function answerCall(handlers: Handlers, windowIds: readonly number[], event: InvokeEvent, method: unknown, payload: unknown): Promise<Reply> {
  let frameUrl: string | null = null;
  let isMainFrame = false;
  try {
    // A frame that has navigated away or been destroyed throws on access.
    frameUrl = event.senderFrame?.url ?? null;
    isMainFrame = event.senderFrame !== null && event.senderFrame.parent === null;
  } catch {
    frameUrl = null;
  }
  const refusal = isTrustedSender({ senderContentsId: event.sender.id, frameUrl, isMainFrame }, windowIds);
  if (refusal) return failure('refused', `Gloss refused the call: ${refusal}`);
  if (typeof method !== 'string') return failure('invalid-request', 'The method name must be a string', { method: typeof method, path: 'method', reason: 'not a string' });
  return toReply(await dispatch(handlers, method, payload));
}

/**
 * Registers the channel. `windowIds` gives the web contents ids of Gloss's windows at call time;
 * `handlers` is read at call time too, so main can swap the table (e.g. after reopening).
 */
export function registerIpc(handlers: () => Handlers, windowIds: () => readonly number[]): () => void {
  const { ipcMain } = require('electron') as IpcSurface;
  ipcMain.handle(CHANNEL, async (event, method, payload): Promise<Reply> => {
    try {
      return await answerCall(handlers(), windowIds(), event, method, payload);
    } catch (e) {
      // `handlers()` throws while the library is not open yet.
      return toReply(errorReply(typeof method === 'string' ? method : '?', e));
    }
  });
  return () => ipcMain.removeHandler(CHANNEL);
}
