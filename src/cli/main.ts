// src/cli: the nianbao command, wiring the stages together per subcommand.
//
// Entry point of `bin/nianbao`: one commander program, one subcommand per
// pipeline stage. Each subcommand lives in its own file and registers itself.
import { Command } from 'commander';
import { registerParse } from './parse-command.ts';
import { registerIngest, registerReparse } from './ingest-command.ts';
import { registerQuery } from './query-command.ts';
import { registerExport } from './export-command.ts';
import { registerCrawl } from './crawl-command.ts';
import { registerSchedule } from './schedule-command.ts';
import { registerJobs } from './jobs-command.ts';
import { registerStart } from './start-command.ts';
import { registerServe } from './serve-command.ts';
import { registerRelease } from './release-command.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('nianbao')
    .description('Government information-disclosure annual reports (政府信息公开工作年度报告) as one dataset')
    .option('--data <dir>', 'where the raw archive and the store live', process.env.NIANBAO_DATA ?? './data')
    .showHelpAfterError();
  registerParse(program);
  registerIngest(program);
  registerReparse(program);
  registerQuery(program);
  registerExport(program);
  registerRelease(program);
  registerCrawl(program);
  registerSchedule(program);
  registerJobs(program);
  registerStart(program);
  registerServe(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
