import type { Command } from 'commander';

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('parse reports (files, directories or URLs) into canonical records')
    .argument('<inputs...>', 'files, directories or http(s) URLs')
    .option('--json', 'one JSON record per line')
    .action(async () => {
      throw new Error('not yet wired');
    });
}
