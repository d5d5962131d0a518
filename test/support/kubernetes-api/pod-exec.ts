// GET .../pods/{name}/exec upgraded to a WebSocket, as the API server proxies it to the kubelet: the
// channel.k8s.io subprotocols (v5 preferred, then v4), one byte of channel before each frame (1 stdout, 2 stderr,
// 3 the final Status), and the container's output replayed from recordings under fixtures/exec/NAMESPACE/.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FixtureStore } from './fixture-store.js';
import { ApiError, badRequest, notFound } from './status.js';

/** One recorded command run in a container. */
interface ExecRecording {
  readonly command: readonly string[];
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exitCode?: number;
  /** The runtime could not start the command: the Status message the API server relayed. */
  readonly failure?: string;
  /** The command never ends by itself (tail -f, sleep): output is sent, then nothing until the client closes. */
  readonly hang?: boolean;
}

const SUBPROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;

export interface ExecOptions {
  readonly dir: string;
  readonly store: FixtureStore;
  /** Authenticates and authorizes the upgrade request as any other request (throws the ApiError to answer with). */
  readonly admit: (req: IncomingMessage, url: URL, namespace: string, pod: string) => void;
}

/** Serves pod exec on `server`'s upgrade requests; other upgrades are refused as the API server refuses them. */
export function serveExec(server: Server, options: ExecOptions): { close(): void } {
  const sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://fixture');
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    try {
      if (!match) throw notFound('', '', url.pathname);
      const [namespace, pod] = [decodeURIComponent(match[1]!), decodeURIComponent(match[2]!)];
      options.admit(req, url, namespace, pod);
      const recording = recordingFor(options, namespace, pod, url.searchParams);
      sockets.handleUpgrade(req, socket, head, (ws) => replay(ws, recording, url.searchParams.getAll('command')));
    } catch (error) {
      const status = error instanceof ApiError ? error.body : { kind: 'Status', code: 500, message: String(error) };
      const body = JSON.stringify(status);
      socket.end(
        `HTTP/1.1 ${status.code} ${status.code === 403 ? 'Forbidden' : status.code === 404 ? 'Not Found' : status.code === 401 ? 'Unauthorized' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
  });
  // Upgraded sockets leave the HTTP server's books: a command left hanging is ended here.
  return { close: () => sockets.clients.forEach((ws) => ws.terminate()) };
}

function recordingFor(options: ExecOptions, namespace: string, name: string, query: URLSearchParams): ExecRecording | undefined {
  const pod = options.store.get('', 'pods', namespace, name);
  if (!pod) throw notFound('pods', '', name);
  const spec = pod.spec as { containers: { name: string }[]; nodeName?: string };
  const names = spec.containers.map((c) => c.name);
  const container = query.get('container') || (names.length === 1 ? names[0]! : undefined);
  if (container === undefined) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  if ((pod.status as { phase?: string }).phase !== 'Running') throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
  const command = query.getAll('command');
  if (command.length === 0) throw badRequest('you must specify at least 1 command');
  const file = join(options.dir, 'exec', namespace, `${name}.${container}.json`);
  const recordings = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ExecRecording[]) : [];
  return recordings.find((r) => r.command.length === command.length && r.command.every((arg, i) => arg === command[i]));
}

function replay(ws: WebSocket, recording: ExecRecording | undefined, command: readonly string[]): void {
  const frame = (channel: number, data: string) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
  if (recording === undefined) {
    frame(
      STATUS,
      JSON.stringify({ metadata: {}, status: 'Failure', message: `fixture server: no recording of [${command.join(' ')}]`, reason: 'InternalError' }),
    );
    ws.close(1000);
    return;
  }
  if (recording.stdout) frame(STDOUT, recording.stdout);
  if (recording.stderr) frame(STDERR, recording.stderr);
  if (recording.hang) return;
  const code = recording.exitCode ?? 0;
  const status =
    recording.failure !== undefined
      ? { metadata: {}, status: 'Failure', message: recording.failure, reason: 'InternalError', code: 500 }
      : code === 0
        ? { metadata: {}, status: 'Success' }
        : {
            metadata: {},
            status: 'Failure',
            message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
            reason: 'NonZeroExitCode',
            details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
          };
  frame(STATUS, JSON.stringify(status));
  ws.close(1000);
}
