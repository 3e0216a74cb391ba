/**
 * A TCP proxy that gives every connection through it one shared slow link: a fixed round trip (half each way) and a
 * bandwidth per direction shared by all connections, as a field post's single link is. Unlike DevTools' network
 * emulation, which throttles only the page's own requests, it also slows what the service worker fetches itself.
 */
import net from 'node:net';

export interface Link { latency: number; downloadThroughput: number; uploadThroughput: number }

/** One direction of the link: chunks leave in order, each after the previous one, at the link's rate, then travel. */
function direction(bytesPerSecond: number, oneWayMs: number) {
  let free = 0;
  return (chunk: Buffer, deliver: () => void) => {
    const start = Math.max(performance.now(), free);
    free = start + (chunk.length / bytesPerSecond) * 1000;
    setTimeout(deliver, free + oneWayMs - performance.now());
  };
}

/** Starts the proxy in front of `target` (host:port); returns its URL. */
export async function startThrottleProxy(targetPort: number, link: Link): Promise<{ url: string; close(): Promise<void> }> {
  const down = direction(link.downloadThroughput, link.latency / 2);
  const up = direction(link.uploadThroughput, link.latency / 2);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    client.on('data', (c: Buffer) => up(c, () => upstream.destroyed || upstream.write(c)));
    upstream.on('data', (c: Buffer) => down(c, () => client.destroyed || client.write(c)));
    client.on('end', () => up(Buffer.alloc(0), () => upstream.end()));
    upstream.on('end', () => down(Buffer.alloc(0), () => client.end()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
