/**
 * The load generator of bench/http.bench.ts, run as a child process so that autocannon's own work
 * and timers do not share an event loop with the app and its in-process database (PGlite runs
 * its queries synchronously on the loop; a generator beside it would see the app's busy spells as
 * its own stalls and time out). The parent sends one LoadJob per message and gets one LoadResult
 * back; Rein and its floor are measured by the same child, the same way.
 */
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  connections: number;
  durationS: number;
  method: 'GET' | 'POST';
  /** Rotated through in order, one per request, so the load spreads over patients or sessions. */
  paths: string[];
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  reqPerS: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  total: number;
}

function drive(job: LoadJob): Promise<LoadResult> {
  let next = 0;
  // autocannon stops at a sample tick (every second by default): a shorter measurement samples
  // more often, and its per-sample request counts are scaled to per second.
  const sampleMs = Math.min(1000, Math.round(job.durationS * 1000));
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.durationS,
        sampleInt: sampleMs,
        requests: [
          {
            method: job.method,
            headers: job.headers,
            ...(job.body === undefined ? {} : { body: job.body }),
            setupRequest: (req) => ({ ...req, path: job.paths[next++ % job.paths.length] }),
          },
        ],
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({
          reqPerS: (r.requests.average * 1000) / sampleMs,
          p50: r.latency.p50,
          p99: r.latency.p99,
          // autocannon's `errors` (connection errors) already include its timeouts.
          errors: r.errors + r.non2xx,
          timeouts: r.timeouts,
          total: r.requests.total,
        });
      },
    );
  });
}

const send = process.send?.bind(process);
if (send) {
  process.on('message', (job: LoadJob) => {
    drive(job).then(
      (result) => send({ result }),
      (err: unknown) => send({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
