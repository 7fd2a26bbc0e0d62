// Start the server on a host and port (port 0 = any free port, for tests) and
// give back its URL and a close function.
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from './app.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(o: AppOptions & { host?: string; port?: number }): Promise<RunningServer> {
  const { app, close } = createApp(o);
  const host = o.host ?? '127.0.0.1';
  const server = app.listen(o.port ?? 3000, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Keep-alive slightly longer than typical client pools, so load tests do not hit closed sockets.
  server.keepAliveTimeout = 65_000;
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await close();
    },
  };
}
