// One answer to "which Chromium do we drive?", for the dashboards' browser
// tests and the crawler's renderer alike, so a newcomer with only Node
// installed gets a working browser and an operator can still choose one.
//
// Order: an explicit path (the caller's option, then CHROMIUM_PATH), a system
// Chromium or Chrome (Linux and macOS locations), one installed by
// `npx playwright install chromium`, then the Chromium shipped brotli'd in the
// npm package @sparticuz/chromium (Linux x64 only; extracted to the temp
// directory on first use). An explicit path that does not exist is an error,
// never silently replaced by another browser.
//
// NIANBAO_SYSTEM_BROWSERS replaces the list of system locations (paths joined
// with ':'; empty = none), so a machine that has /usr/bin/chromium can still
// test the path a machine without one takes.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

export interface FoundBrowser {
  executablePath: string;
  /** Where it came from: 'option', 'CHROMIUM_PATH', 'system:<path>', 'playwright' or '@sparticuz/chromium'. */
  source: string;
  /** Command-line switches this browser needs (e.g. --no-sandbox as root). */
  args: string[];
}

const LINUX_SYSTEM = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium', '/opt/google/chrome/chrome',
];
const MAC_SYSTEM = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium',
  join(homedir(), 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'), join(homedir(), 'Applications/Chromium.app/Contents/MacOS/Chromium'),
];

/** Chromium refuses to start as root unless its sandbox is switched off. */
function baseArgs(): string[] {
  return process.getuid?.() === 0 ? ['--no-sandbox'] : [];
}

function systemLocations(): string[] {
  const override = process.env.NIANBAO_SYSTEM_BROWSERS;
  if (override !== undefined) return override.split(':').filter(Boolean);
  if (process.platform === 'darwin') return MAC_SYSTEM;
  if (process.platform === 'linux') return LINUX_SYSTEM;
  return [];
}

/** The Chromium of the installed playwright-core's revision, if `npx playwright install chromium` put it in its cache. */
async function playwrightBrowser(): Promise<string | null> {
  try {
    const { chromium } = await import('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null; // playwright-core not installed, or it knows no browser for this platform
  }
}

// The package's own switches that weaken a page's isolation: fine for its
// Lambda use on trusted pages, not for rendering arbitrary government sites.
const UNSAFE_SWITCHES = new Set(['--disable-web-security', '--allow-running-insecure-content']);
/**
 * Lambda-only: one process for the whole browser, so closing one page that ran
 * over its time limit takes every other page down with it. The crawler's
 * renderer keeps a few pages open at once, so the package's Chromium runs with
 * its normal processes (no sandbox as root, as for any Chromium here).
 */
const LAMBDA_SWITCHES = new Set(['--single-process']);

let sparticuz: Promise<FoundBrowser | null> | null = null;

/** @sparticuz/chromium (Linux x64): extracted once per process; null when the package is absent or unusable here. */
function sparticuzBrowser(): Promise<FoundBrowser | null> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return Promise.resolve(null);
  sparticuz ??= (async () => {
    let mod: typeof import('@sparticuz/chromium');
    try {
      mod = await import('@sparticuz/chromium');
    } catch {
      return null;
    }
    const Chromium = mod.default;
    // The package unpacks into os.tmpdir() and reuses whatever `chromium` it
    // finds there. A directory per user and package version keeps root's
    // files (mode 700) from blocking another user and an older version from
    // being taken for this one. It is unpacked under a temporary name and
    // renamed, so two processes starting at once (the test workers) never
    // launch a half-written binary. os.tmpdir() reads TMPDIR on each call, so
    // it is pointed at the temporary directory for the call only.
    const home = join(tmpdir(), `nianbao-chromium-${process.getuid?.() ?? 'user'}-${packageVersion() ?? 'unknown'}`);
    if (!existsSync(join(home, 'chromium'))) {
      const tmp = `${home}.tmp-${process.pid}`;
      mkdirSync(tmp, { recursive: true });
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = tmp;
      try {
        await Chromium.executablePath();
      } catch (e) {
        rmSync(tmp, { recursive: true, force: true });
        throw new Error(`could not unpack the Chromium of @sparticuz/chromium into ${tmp} (${(e as Error).message}): set CHROMIUM_PATH or install Chromium`);
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
      try {
        renameSync(tmp, home);
      } catch {
        rmSync(tmp, { recursive: true, force: true }); // another process finished first: use its copy
      }
    }
    const executablePath = join(home, 'chromium');
    provideSharedLibraries(executablePath);
    // The package carries a fontconfig setup (fonts/fonts.conf) that it uses
    // only on Lambda; a machine with no fontconfig of its own gets that one.
    if (!process.env.FONTCONFIG_PATH && !existsSync('/etc/fonts/fonts.conf') && existsSync(join(home, 'fonts', 'fonts.conf'))) {
      process.env.FONTCONFIG_PATH = join(home, 'fonts');
    }
    const args = Chromium.args.filter((a) => !UNSAFE_SWITCHES.has(a) && !LAMBDA_SWITCHES.has(a));
    return { executablePath, source: '@sparticuz/chromium', args };
  })();
  return sparticuz;
}

/** The installed @sparticuz/chromium's version (its package.json, found from its entry point). */
function packageVersion(): string | null {
  try {
    const pkg = fileURLToPath(new URL('../../package.json', import.meta.resolve('@sparticuz/chromium')));
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/**
 * The package's Chromium links libnss3, libnspr4 and libexpat, which a bare
 * Debian or Ubuntu image lacks. The package carries them (al2023.tar.br) but
 * unpacks them only on AWS Lambda; here they are unpacked into a directory of
 * our own when the dynamic linker cannot find them, and LD_LIBRARY_PATH of
 * this process (inherited by the browser it starts) points there.
 */
function provideSharedLibraries(executablePath: string): void {
  let missing: boolean;
  try {
    missing = /not found/.test(execFileSync('ldd', [executablePath], { encoding: 'utf8' }));
  } catch {
    missing = true; // no ldd: assume the libraries are needed (harmless when they are present)
  }
  if (!missing) return;
  // The package's entry is build/esm/index.js; its brotli'd files are in bin/.
  const archive = fileURLToPath(new URL('../../bin/al2023.tar.br', import.meta.resolve('@sparticuz/chromium')));
  if (!existsSync(archive)) return;
  const libDir = join(tmpdir(), `nianbao-chromium-libs-${process.getuid?.() ?? 'user'}`);
  if (!existsSync(join(libDir, 'libnss3.so'))) extractTarFiles(brotliDecompressSync(readFileSync(archive)), libDir);
  const paths = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  if (!paths.includes(libDir)) process.env.LD_LIBRARY_PATH = [libDir, ...paths].join(':');
}

/**
 * The regular files of a ustar archive, flattened into `dir` (the archive
 * holds lib/*.so only). Each file is written under a temporary name and
 * renamed, so a concurrent reader never sees half a library.
 */
function extractTarFiles(tar: Buffer, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const text = (a: number, b: number) => tar.subarray(a, b).toString('latin1').replace(/\0.*$/s, '').trim();
  for (let off = 0; off + 512 <= tar.length;) {
    const name = text(off, off + 100);
    if (!name) break;
    const size = parseInt(text(off + 124, off + 136) || '0', 8);
    const type = tar[off + 156];
    const body = off + 512;
    if (type === 0x30 || type === 0) {
      const base = name.split('/').pop()!;
      const tmp = join(dir, `.${base}.${process.pid}`);
      writeFileSync(tmp, tar.subarray(body, body + size), { mode: 0o755 });
      renameSync(tmp, join(dir, base));
    }
    off = body + Math.ceil(size / 512) * 512;
  }
}

/** The browser to launch, or an Error saying what to install or set. */
export async function findBrowser(opts?: { explicitPath?: string }): Promise<{ executablePath: string; source: string; args: string[] }> {
  const explicit: [string, string | undefined][] = [['option', opts?.explicitPath], ['CHROMIUM_PATH', process.env.CHROMIUM_PATH]];
  for (const [source, path] of explicit) {
    if (!path) continue;
    if (!existsSync(path)) throw new Error(`${source === 'option' ? 'the configured browser path' : 'CHROMIUM_PATH'} ${path} does not exist: point it at a Chromium or Chrome executable, or unset it to let nianbao find one`);
    return { executablePath: path, source, args: baseArgs() };
  }
  for (const path of systemLocations()) {
    if (existsSync(path)) return { executablePath: path, source: `system:${path}`, args: baseArgs() };
  }
  const pw = await playwrightBrowser();
  if (pw) return { executablePath: pw, source: 'playwright', args: baseArgs() };
  const packaged = await sparticuzBrowser();
  if (packaged) return packaged;
  throw new Error(
    'no Chromium found: set CHROMIUM_PATH to a Chromium or Chrome executable, install one (apt-get install chromium, brew install --cask chromium, '
    + 'or npx playwright install chromium)' + (process.platform === 'linux' && process.arch === 'x64' ? ', or run npm install so the optional package @sparticuz/chromium is present' : ''),
  );
}
