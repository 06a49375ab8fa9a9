/**
 * The packaging configuration, read the way electron-builder 26 reads it: its own loader
 * (app-builder-lib's getConfig), its own schema check (validateConfiguration: a misspelt key such
 * as `runAsNod` fails the build), and its own translation of `electronFuses` into the wire that
 * @electron/fuses flips in the packaged binary. So this test fails if a fuse is missing, misspelt,
 * or set the wrong way, without needing Electron or the network.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.js';

const require = createRequire(import.meta.url);

interface FuseOptions {
  runAsNode?: boolean;
  enableNodeOptionsEnvironmentVariable?: boolean;
  enableNodeCliInspectArguments?: boolean;
  enableCookieEncryption?: boolean;
  enableEmbeddedAsarIntegrityValidation?: boolean;
  onlyLoadAppFromAsar?: boolean;
  grantFileProtocolExtraPrivileges?: boolean;
}
interface BuilderConfig {
  asar?: boolean;
  electronFuses?: FuseOptions | null;
}

const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util/out/DebugLogger.js') as { DebugLogger: new (enabled: boolean) => unknown };
// Through the package's index: requiring platformPackager.js alone meets a circular import.
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: FuseOptions): Promise<Record<number, boolean>> } };
};

describe('electron-builder.yml', () => {
  it('passes electron-builder 26’s own schema check', async () => {
    const config = await getConfig(repoRoot, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('a misspelt fuse would be caught (the check above can fail)', async () => {
    const config = await getConfig(repoRoot, null, null);
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('flips the fuses: no run-as-Node, NODE_OPTIONS or --inspect; cookie encryption, asar integrity and asar-only loading on', async () => {
    const config = await getConfig(repoRoot, null, null);
    expect(config.asar, 'onlyLoadAppFromAsar needs the app packed as app.asar').toBe(true);
    expect(config.electronFuses, 'electronFuses is missing from electron-builder.yml').toBeTruthy();
    // What electron-builder hands @electron/fuses when it packs (platformPackager.generateFuseConfig).
    const wire = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses!);
    const { FuseV1Options } = (await import('@electron/fuses')) as unknown as { FuseV1Options: Record<string, number> };
    const fuse = (name: string) => wire[FuseV1Options[name]!];
    expect({
      RunAsNode: fuse('RunAsNode'),
      EnableNodeOptionsEnvironmentVariable: fuse('EnableNodeOptionsEnvironmentVariable'),
      EnableNodeCliInspectArguments: fuse('EnableNodeCliInspectArguments'),
      EnableCookieEncryption: fuse('EnableCookieEncryption'),
      EnableEmbeddedAsarIntegrityValidation: fuse('EnableEmbeddedAsarIntegrityValidation'),
      OnlyLoadAppFromAsar: fuse('OnlyLoadAppFromAsar'),
      GrantFileProtocolExtraPrivileges: fuse('GrantFileProtocolExtraPrivileges'),
    }).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableCookieEncryption: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });
});
