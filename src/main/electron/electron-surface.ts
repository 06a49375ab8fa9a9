/**
 * The part of Electron's main-process API that Gloss uses, typed here because the electron
 * package is optional (its binary cannot be downloaded everywhere) and may be absent when this
 * compiles. Kept to exactly what main.ts calls; IPC has its own surface in ipc.ts.
 */
import type { MenuItemTemplate } from './menu.js';
import type { Rectangle } from './window-state.js';

export interface WebFrameSurface {
  readonly url: string;
  readonly parent: WebFrameSurface | null;
}

export interface NavigationEvent {
  preventDefault(): void;
}

export interface WebContentsSurface {
  readonly id: number;
  getURL(): string;
  reload(): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: NavigationEvent) => void): void;
  on(event: 'did-finish-load', listener: () => void): void;
  on(event: 'did-fail-load', listener: (event: unknown, errorCode: number, errorDescription: string, validatedURL: string) => void): void;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): void;
  executeJavaScript(code: string): Promise<unknown>;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface BrowserWindowOptions {
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor?: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    spellcheck: boolean;
  };
}

export interface BrowserWindowSurface {
  readonly webContents: WebContentsSurface;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rectangle;
  once(event: 'ready-to-show', listener: () => void): void;
  on(event: 'close' | 'closed', listener: () => void): void;
}

export interface HeadersDetails {
  responseHeaders?: Record<string, string[]>;
}

export interface SessionSurface {
  webRequest: {
    onHeadersReceived(listener: (details: HeadersDetails, callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void) => void): void;
  };
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

export interface ElectronSurface {
  app: {
    readonly isPackaged: boolean;
    requestSingleInstanceLock(): boolean;
    whenReady(): Promise<void>;
    quit(): void;
    exit(exitCode?: number): void;
    setName(name: string): void;
    getPath(name: 'userData'): string;
    setPath(name: 'userData', path: string): void;
    on(event: 'second-instance' | 'window-all-closed' | 'activate' | 'will-quit', listener: () => void): void;
  };
  BrowserWindow: {
    new (options: BrowserWindowOptions): BrowserWindowSurface;
    getAllWindows(): BrowserWindowSurface[];
  };
  Menu: {
    buildFromTemplate(template: MenuItemTemplate[]): unknown;
    setApplicationMenu(menu: never): void;
  };
  screen: { getAllDisplays(): { workArea: Rectangle }[] };
  session: { readonly defaultSession: SessionSurface };
  protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: { standard: boolean; secure: boolean; supportFetchAPI: boolean; codeCache?: boolean } }[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  dialog: { showErrorBox(title: string, content: string): void };
}
