// Which certificate authorities the crawler trusts. Government sites often
// send an incomplete chain (the intermediate certificate missing) or use a
// Chinese CA whose root Node does not ship; browsers paper over the first by
// fetching the intermediate themselves. nianbao never turns verification off:
// the operator adds the missing certificates instead (`--ca <pem>`, or Node's
// own NODE_EXTRA_CA_CERTS), and everything else stays verified against
// Node's roots.
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

/** Thrown for a --ca file that cannot be used: abort before any request is made. */
export class CaFileError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`--ca ${file}: ${reason}; give a PEM file of one or more certificates ("-----BEGIN CERTIFICATE-----")`);
    this.name = 'CaFileError';
  }
}

/** PEM certificates of the files, checked to contain at least one certificate each. */
export function readCaFiles(files: readonly string[]): string[] {
  return files.map((file) => {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CaFileError(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CaFileError(file, 'no PEM certificate in it');
    return pem;
  });
}

/**
 * The `ca` option for TLS connections when extra certificates are given:
 * Node's roots, NODE_EXTRA_CA_CERTS (an explicit `ca` would otherwise drop
 * them) and the extra ones. Undefined when there are none: Node's defaults apply.
 */
export function trustedCas(extra: readonly string[]): string[] | undefined {
  if (!extra.length) return undefined;
  const envFile = process.env.NODE_EXTRA_CA_CERTS;
  let env: string[] = [];
  try {
    env = envFile ? [readFileSync(envFile, 'utf8')] : [];
  } catch {
    /* Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at start-up */
  }
  return [...tls.rootCertificates, ...env, ...extra];
}
