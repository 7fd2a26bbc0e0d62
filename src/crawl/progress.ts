// Progress while a crawl runs: a cli-progress bar when stderr is a terminal,
// otherwise one plain line per finished request (log files, CI, cron mail).
import cliProgress from 'cli-progress';
import type { CrawlEvent } from './crawler.ts';

export interface Progress {
  onEvent(ev: CrawlEvent): void;
  stop(): void;
}

export function createProgress(site: string, opts: { tty: boolean; quiet?: boolean }): Progress {
  if (opts.quiet) return { onEvent: () => undefined, stop: () => undefined };
  if (opts.tty) {
    const bar = new cliProgress.SingleBar(
      { format: `${site} [{bar}] {value}/{total} {last}`, hideCursor: true, clearOnComplete: false, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1, 0, { last: '' });
    return {
      onEvent(ev) {
        if (ev.type === 'queued') bar.setTotal(ev.total);
        else bar.update(ev.done, { last: `${ev.outcome} ${ev.url.slice(-60)}` });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    onEvent(ev) {
      if (ev.type === 'done') process.stderr.write(`${site} ${ev.done}/${ev.total} ${ev.kind} ${ev.outcome} ${ev.url}\n`);
    },
    stop: () => undefined,
  };
}
