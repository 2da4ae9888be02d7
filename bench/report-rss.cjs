// Preloaded with `node --require` by bench/cold-grade.mjs: reports the process's peak RSS on exit.
process.on('exit', () => {
  require('node:fs').writeSync(2, `\nbench-peak-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
