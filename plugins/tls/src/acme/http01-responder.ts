import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const PREFIX = '/.well-known/acme-challenge/';

/** Answers ACME HTTP-01 challenges (`GET /.well-known/acme-challenge/<token>`) and nothing else. */
export class Http01Responder {
  readonly #tokens: Map<string, string>;
  readonly #server: Server;

  private constructor(server: Server, tokens: Map<string, string>) {
    this.#server = server;
    this.#tokens = tokens;
  }

  static async listen(host: string, port: number): Promise<Http01Responder> {
    const tokens = new Map<string, string>();
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const answer = req.method === 'GET' && path.startsWith(PREFIX) ? tokens.get(path.slice(PREFIX.length)) : undefined;
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (answer === undefined) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(answer);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return new Http01Responder(server, tokens);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  add(token: string, keyAuthorization: string): void {
    this.#tokens.set(token, keyAuthorization);
  }

  remove(token: string): void {
    this.#tokens.delete(token);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
