/**
 * Electron's preload: puts the contract on `window.gloss`, one function per method answering the
 * call's `Reply` object (src/common/errors.ts), and nothing else. The page never sees ipcRenderer;
 * main checks the sender and validates every payload.
 * It runs sandboxed, where `require` offers only 'electron' and everything else is bundled in.
 */
import type { GlossBridge, Method } from '../common/api.js';
import { asReply, failure, type Reply } from '../common/errors.js';
import { METHODS } from '../common/methods.js';

/** The part of Electron this file uses (the electron package may be absent at compile time). */
interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: { invoke(channel: string, ...args: unknown[]): Promise<unknown> };
}

declare const require: (id: 'electron') => PreloadElectron;

/** Must match `CHANNEL` in src/main/electron/ipc.ts. */
const CHANNEL = 'gloss:call';

const { contextBridge, ipcRenderer } = require('electron');

/**
 * Answers the reply object main sent, as the browser host's body is: the renderer's transport
 * unwraps both the same way. Nothing is thrown across contextBridge (it would keep only a message).
 */
async function call(method: Method, request: unknown): Promise<Reply> {
  try {
    return asReply(await ipcRenderer.invoke(CHANNEL, method, request ?? {}));
  } catch (e) {
    return failure('internal', `${method}: the call to Gloss's main process failed (${e instanceof Error ? e.message : String(e)})`, { method });
  }
}

const bridge = {} as Record<Method, (request: unknown) => Promise<Reply>>;
for (const method of METHODS) bridge[method] = (request) => call(method, request);

contextBridge.exposeInMainWorld('gloss', bridge satisfies Record<keyof GlossBridge, unknown>);
