/** A TCP link on loopback that a test cuts and restores (a leaf node's connection to the hub, as a line going down). */
import net from 'node:net';

export interface CuttableLink {
  port: number;
  /** Drops every connection and refuses new ones until `restore()`. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<port> to 127.0.0.1:<target>; `port` is chosen free (or given, to listen again after a cut). */
export async function cuttableLink(target: number): Promise<CuttableLink> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () => new Promise<void>((resolve, reject) => {
    const srv = net.createServer((inbound) => {
      const outbound = net.connect(target, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.on('error', () => { inbound.destroy(); outbound.destroy(); });
        s.on('close', () => { sockets.delete(s); inbound.destroy(); outbound.destroy(); });
      }
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      port = (srv.address() as net.AddressInfo).port;
      server = srv;
      resolve();
    });
  });
  const stop = async () => {
    const srv = server;
    server = undefined;
    for (const s of sockets) s.destroy();
    if (srv) await new Promise<void>((r) => srv.close(() => r()));
  };
  await listen();
  return { get port() { return port; }, cut: stop, restore: () => listen(), close: stop };
}
