import cliProgress from 'cli-progress';
import { noun } from '../../text/plural.js';

/** How the run shows it is moving: a bar on a terminal, a line every few seconds in a log. */
export type BatchProgress = {
  start: (total: number) => void;
  /** `done`: answers finished in this run, graded or failed. */
  update: (done: number) => void;
  stop: () => void;
};

export type ProgressOptions = {
  /** A person is watching a terminal: draw a bar that redraws in place. */
  interactive: boolean;
  write: (text: string) => void;
  /** Terminal width, for the bar. */
  columns?: number;
  now?: () => number;
};

const LINE_INTERVAL_MS = 2000;

export function createProgress(options: ProgressOptions): BatchProgress {
  return options.interactive ? barProgress(options) : lineProgress(options);
}

function rateAndEta(done: number, total: number, startedAt: number, now: number): { rate: number; eta: string } {
  const seconds = Math.max(0.001, (now - startedAt) / 1000);
  const rate = done / seconds;
  const left = rate > 0 ? (total - done) / rate : Number.NaN;
  return { rate, eta: Number.isFinite(left) ? formatDuration(left) : '…' };
}

export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function lineProgress({ write, now = Date.now }: ProgressOptions): BatchProgress {
  let total = 0;
  let startedAt = 0;
  let lastAt = 0;
  let lastTenth = 0;
  let lastDone = 0;
  const print = (done: number) => {
    const { rate, eta } = rateAndEta(done, total, startedAt, now());
    const share = total > 0 ? Math.floor((done / total) * 100) : 100;
    write(
      `  ${done}/${total} ${noun(total, 'answer')} (${share}%) · ${rate.toFixed(0)} answers/s · ETA ${done >= total ? '0 s' : eta}\n`,
    );
    lastAt = now();
    lastDone = done;
  };
  return {
    start(count) {
      total = count;
      startedAt = lastAt = now();
    },
    update(done) {
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (now() - lastAt >= LINE_INTERVAL_MS || tenth > lastTenth) {
        lastTenth = tenth;
        print(done);
      }
      lastDone = done;
    },
    stop() {
      if (total > 0 && lastAt !== 0 && (lastDone < total || lastTenth < 10)) print(lastDone);
      total = 0;
    },
  };
}

function barProgress({ write, columns, now = Date.now }: ProgressOptions): BatchProgress {
  // cli-progress draws on a stream; this one is the CLI's stderr, so tests and pipes see the same output path.
  const stream = {
    isTTY: true,
    columns: columns ?? 80,
    write: (text: string) => (write(text), true),
  } as unknown as NodeJS.WriteStream;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'grading {bar} {value}/{total} answers · {rate}/s · ETA {eta_formatted}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      barsize: 28,
      hideCursor: true,
      etaBuffer: 200,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let startedAt = 0;
  let total = 0;
  let running = false;
  return {
    start(count) {
      total = count;
      startedAt = now();
      running = count > 0;
      if (running) bar.start(count, 0, { rate: '0' });
    },
    update(done) {
      if (running) bar.update(done, { rate: rateAndEta(done, total, startedAt, now()).rate.toFixed(0) });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
