/**
 * Electron's preload: puts the contract on `window.gloss`, one function per method, and nothing
 * else. The page never sees ipcRenderer; main checks the sender and validates every payload.
 * It runs sandboxed, where `require` offers only 'electron' and everything else is bundled in.
 */
import type { GlossApi, Method, WireError } from '../common/api.js';
import { METHODS } from '../common/methods.js';

/** The part of Electron this file uses (the electron package may be absent at compile time). */
interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: { invoke(channel: string, ...args: unknown[]): Promise<unknown> };
}

declare const require: (id: 'electron') => PreloadElectron;

/** Must match `CHANNEL` in src/main/electron/ipc.ts. */
const CHANNEL = 'gloss:call';

type Reply = { ok: true; value: unknown } | ({ ok: false } & WireError);

const { contextBridge, ipcRenderer } = require('electron');

async function call(method: Method, request: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(CHANNEL, method, request ?? {})) as Reply;
  if (reply.ok) return reply.value;
  // contextBridge copies an Error's message but not its other fields: keep the code in the name.
  const error = new Error(reply.error.message);
  error.name = `GlossError[${reply.error.code}]`;
  throw error;
}

const api = {} as Record<Method, (request: unknown) => Promise<unknown>>;
for (const method of METHODS) api[method] = (request) => call(method, request);

contextBridge.exposeInMainWorld('gloss', api satisfies Record<keyof GlossApi, unknown>);
