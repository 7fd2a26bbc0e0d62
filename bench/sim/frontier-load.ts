// Child process of the frontier figure (bench/crawl-sim.ts): opens (resumes)
// the journal in argv[2] and reports the time, the peak RSS and the pending
// count, measured in a process that holds nothing else.
import { Frontier } from '../../src/crawl/frontier.ts';

if (process.send) {
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const f = await Frontier.open(process.argv[2], 'frontier-bench', { newRunId: () => 'unused' });
  const pending = f.pending().length;
  const ms = performance.now() - t0;
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  await f.close();
  process.send({ ms, peakRss: peak, items: f.items.size, pending, resumed: f.resumed }, () => process.exit(0));
}
