// Where the store pieces live under the global --data directory.
import { join } from 'node:path';
import type { Command } from 'commander';

export function dataDir(cmd: Command): string {
  return (cmd.optsWithGlobals() as { data: string }).data;
}

export const storeDirOf = (data: string): string => join(data, 'store');
export const parseCacheOf = (data: string): string => join(data, 'cache', 'parse');
export const archiveOf = (data: string): string => join(data, 'archive');
