/** What the Electron app takes from its command line and environment, and where its files are. */
import fs from 'node:fs';
import path from 'node:path';

/**
 * `--data DIR` or `--data=DIR` among Electron's arguments (which also hold Chromium's own
 * switches and, unpackaged, the app folder), else GLOSS_DATA_DIR; undefined means the default.
 */
export function dataDirFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data' && argv[i + 1] !== undefined) return path.resolve(argv[i + 1]!);
    if (arg.startsWith('--data=') && arg.length > '--data='.length) return path.resolve(arg.slice('--data='.length));
  }
  return env.GLOSS_DATA_DIR ? path.resolve(env.GLOSS_DATA_DIR) : undefined;
}

/** Where scripts/electron-native.mjs puts better-sqlite3 built for Electron's ABI. */
export const ELECTRON_NATIVE_BINDING = path.join('build', 'electron-native', 'better_sqlite3.node');

/**
 * The Electron-ABI better-sqlite3 binding if it was built, else undefined (better-sqlite3 then
 * loads its own, Node-ABI build, which fails with a NODE_MODULE_VERSION message). Inside a
 * packaged app the .node file lives in app.asar.unpacked, since native code cannot load from asar.
 */
export function electronNativeBinding(appRoot: string, exists: (p: string) => boolean = fs.existsSync): string | undefined {
  const file = path.join(appRoot, ELECTRON_NATIVE_BINDING);
  const unpacked = file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  if (unpacked !== file && exists(unpacked)) return unpacked;
  return exists(file) ? file : undefined;
}

/** A library error that means the native module is built for the wrong runtime. */
export function isAbiMismatch(message: string): boolean {
  return /NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|not a valid Win32 application/i.test(message);
}
