// The part of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  export interface Request {
    method?: string;
    path: string;
    headers?: Record<string, string>;
  }
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    headers?: Record<string, string>;
    requests?: Request[];
    /** Called with each client; its 'response' event gives (status, bytes, latency ms). */
    setupClient?: (client: {
      on(event: 'response', fn: (status: number, bytes: number, ms: number) => void): void;
      /** Replaces the requests this client goes through (each client goes through the whole list, in order, on its own). */
      setRequests(requests: Request[]): void;
    }) => void;
  }
  export interface Histogram {
    average: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    max: number;
  }
  export interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
    duration: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
