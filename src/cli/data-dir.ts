// The global --data directory a command works in (default ./data, env NIANBAO_DATA).
import type { Command } from 'commander';

export function dataDir(cmd: Command): string {
  return (cmd.optsWithGlobals() as { data: string }).data;
}
