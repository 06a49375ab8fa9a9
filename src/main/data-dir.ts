/** Where the library lives: `--data DIR`, else GLOSS_DATA_DIR, else the platform's user-data folder. */
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Gloss';

/** The folder Electron's `app.getPath('userData')` gives for this app, so the CLI and the app share it. */
export function platformDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.GLOSS_DATA_DIR) return path.resolve(env.GLOSS_DATA_DIR);
  return platformDataDir(env);
}
