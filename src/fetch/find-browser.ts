// Where the headless Chromium for rendering lives. Minimal version (an
// explicit path or CHROMIUM_PATH, then the usual system paths); the
// fresh-machine work replaces it with one that also knows playwright's and
// @sparticuz/chromium's builds, with the same signature.
import { access, constants } from 'node:fs/promises';

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

async function executable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findBrowser(opts: { explicitPath?: string } = {}): Promise<{ executablePath: string; source: string; args: string[] }> {
  const explicit = opts.explicitPath ?? process.env.CHROMIUM_PATH;
  if (explicit) {
    if (await executable(explicit)) return { executablePath: explicit, source: opts.explicitPath ? 'explicit path' : 'CHROMIUM_PATH', args: [] };
    throw new Error(`no executable browser at ${explicit} (${opts.explicitPath ? 'explicit path' : 'CHROMIUM_PATH'})`);
  }
  for (const p of SYSTEM_PATHS) if (await executable(p)) return { executablePath: p, source: 'system', args: [] };
  throw new Error(`no Chromium found: install chromium (apt-get install chromium) or set CHROMIUM_PATH; looked in ${SYSTEM_PATHS.join(', ')}`);
}
