/** The alerts' live stream as a browser reads it, for the API tests. */
import http from 'node:http';

export interface SseEvent<T = { id: string; title: string; status: string }> {
  event: string;
  data: T;
}

export interface SseStream<T> {
  status: number;
  type: string;
  /** The next event, as it arrives. */
  next(): Promise<SseEvent<T>>;
  close(): void;
  onEnd(fn: () => void): void;
}

/** Opens GET /api/v1/alerts/stream on a real port with a session cookie; collects events as they arrive. */
export function openAlertStream<T = SseEvent['data']>(port: number, cookie: string): Promise<SseStream<T>> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/alerts/stream', headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      const queue: SseEvent<T>[] = [];
      const waiting: ((e: SseEvent<T>) => void)[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (!event || !data) continue;
          const e = { event, data: JSON.parse(data) as T };
          const w = waiting.shift();
          if (w) w(e);
          else queue.push(e);
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        type: String(res.headers['content-type']),
        next: () => new Promise((r) => { const e = queue.shift(); if (e) r(e); else waiting.push(r); }),
        close: () => req.destroy(),
        onEnd: (fn) => res.once('end', fn),
      });
    });
    req.on('error', reject);
  });
}
