/**
 * The load generator of the benchmarks, run as a child process by LoadGenerator (bench/support.ts;
 * see there why): it receives one autocannon run per IPC message and answers with the figures of that run.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  id: number;
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
}

export interface LoadResult {
  id: number;
  /** Mean of the per-second samples of completed requests. */
  requestsPerSecond: number;
  /** Completed requests (any status). */
  completed: number;
  /** Requests written to a socket, including those still waiting for an answer when the run stopped. */
  sent: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Latency percentiles in milliseconds, as autocannon's histogram gives them (it has no p95). */
  latencyP50: number;
  latencyP90: number;
  latencyP975: number;
  latencyP99: number;
  latencyMean: number;
  seconds: number;
}

export type LoadReply = LoadResult | { id: number; error: string };

async function runOnce(request: LoadRequest): Promise<LoadResult> {
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.durationSeconds,
    headers: request.headers,
  });
  return {
    id: request.id,
    requestsPerSecond: result.requests.average,
    completed: result.requests.total,
    sent: result.requests.sent,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50: result.latency.p50,
    latencyP90: result.latency.p90,
    latencyP975: result.latency.p97_5,
    latencyP99: result.latency.p99,
    latencyMean: result.latency.mean,
    seconds: result.duration,
  };
}

process.on('message', (message: LoadRequest) => {
  runOnce(message).then(
    (result) => process.send?.(result satisfies LoadReply),
    (error: unknown) => process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies LoadReply),
  );
});
// The parent went away (finished or crashed): nothing left to do.
process.on('disconnect', () => process.exit(0));
