// Runs one command in a container through the Kubernetes exec API: a WebSocket upgrade of
// GET /api/v1/namespaces/NS/pods/NAME/exec on the channel.k8s.io subprotocols (v5, then v4...), with the pack's
// credentials, the caller's impersonation headers and the guard rails' check, ended at its time limit.
import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { ApiException, Exec, type V1Status } from '@kubernetes/client-node';
import type { ToolContext } from '@cnmcp/core/plugin';
import WebSocket from 'ws';
import { BackendFailure } from './backend-failure.js';
import type { KubeBackend } from './kube-backend.js';
import { describeFailure } from './kube-failure.js';

/** The subprotocols kubectl offers, newest first; v5 adds the close channel, v4 the JSON exit status. */
const SUBPROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

const CLOSE_CHANNEL = 255;

export interface ExecRequest {
  readonly namespace: string;
  readonly pod: string;
  readonly container?: string;
  readonly command: readonly string[];
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export interface ExecOutcome {
  readonly stdout: string;
  readonly stderr: string;
  /** The command's exit code, when it ran to the end. */
  readonly exitCode?: number;
  /** Why the command could not run (the runtime's message), when it could not. */
  readonly failure?: string;
  readonly timedOut: boolean;
  /** Output beyond maxBytes was dropped. */
  readonly truncated: boolean;
}

/** Keeps the first `max` bytes written, counting the rest. */
class Capture extends Writable {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  dropped = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const room = this.max - this.kept;
    if (room > 0) this.chunks.push(chunk.subarray(0, room));
    this.kept += Math.min(room, chunk.length);
    this.dropped += Math.max(0, chunk.length - room);
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  if (status.reason !== 'NonZeroExitCode') return undefined;
  const code = Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message);
  return Number.isInteger(code) ? code : undefined;
}

/** The API server's refusal of the upgrade (403, 404, 400...), read from its Status body. */
class UpgradeRefused extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`HTTP ${code}`);
  }
}

export async function runExec(backend: KubeBackend, ctx: ToolContext, request: ExecRequest): Promise<ExecOutcome> {
  const path = `/api/v1/namespaces/${encodeURIComponent(request.namespace)}/pods/${encodeURIComponent(request.pod)}/exec`;
  // The REST client's last check does not see WebSocket upgrades: the same check, here.
  backend.checkRequest('GET', path);
  const headers: Record<string, string[]> = {};
  for (const [name, value] of backend.impersonation(ctx)) (headers[name] ??= []).push(value);
  let refusal: UpgradeRefused | undefined;
  let socket: WebSocket | undefined;
  // Exec's own WebSocket handler cannot add headers (impersonation): this one opens the socket as it does, with them.
  const handler = {
    async connect(path: string, _text: unknown, binary: ((channel: number, data: Buffer) => boolean) | null): Promise<WebSocket> {
      const server = backend.kubeConfig.getCurrentCluster()!.server.replace(/^http/, 'ws');
      const options: WebSocket.ClientOptions & { headers?: Record<string, string> } = {};
      await backend.kubeConfig.applyToHTTPSOptions(options as never);
      const ws = new WebSocket(`${server}${path}`, SUBPROTOCOLS, { ...options, headers: { ...options.headers, ...headers } as Record<string, string> });
      socket = ws;
      ws.on('unexpected-response', (req, res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          refusal = new UpgradeRefused(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
          req.destroy();
          ws.terminate();
        });
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        // Channel 255 (v5) closes a stream; the output channels end with the Status anyway.
        if (!isBinary || data.length === 0 || data.readUInt8(0) === CLOSE_CHANNEL || !binary) return;
        try {
          if (!binary(data.readUInt8(0), data.subarray(1))) ws.close();
        } catch {
          ws.terminate(); // a channel this client does not know: end rather than guess
        }
      });
      return new Promise((resolve, reject) => {
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
        ws.once('close', () => reject(refusal ?? new Error('the connection closed before the exec stream opened')));
      });
    },
  };
  const stdout = new Capture(request.maxBytes);
  const stderr = new Capture(request.maxBytes);
  const action = `exec in pod "${request.pod}"${request.container ? ` container "${request.container}"` : ''} in namespace "${request.namespace}"`;
  return ctx.span('kubernetes.exec', async (span) => {
    span.setAttribute('server.address', backend.server);
    let status: V1Status | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket?.terminate();
    }, request.timeoutMs);
    const abort = () => socket?.terminate();
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      const ws = await new Exec(backend.kubeConfig, handler as never).exec(
        request.namespace,
        request.pod,
        request.container ?? '',
        [...request.command],
        stdout,
        stderr,
        null,
        false,
        (s) => (status = s),
      );
      if (ws.readyState !== WebSocket.CLOSED) await new Promise<void>((resolve) => ws.once('close', () => resolve()));
    } catch (error) {
      if (refusal !== undefined) {
        span.setAttribute('http.response.status_code', refusal.code);
        throw new BackendFailure(describeFailure(apiException(refusal), action, backend.server, request.timeoutMs));
      }
      if (!timedOut) throw new BackendFailure(describeFailure(errorOf(error), action, backend.server, request.timeoutMs));
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', abort);
    }
    const exitCode = status ? exitCodeOf(status) : undefined;
    const failure = status && exitCode === undefined ? (status.message ?? status.reason ?? 'the command failed') : undefined;
    return {
      stdout: stdout.text(),
      stderr: stderr.text(),
      ...(exitCode !== undefined ? { exitCode } : {}),
      ...(failure !== undefined ? { failure } : {}),
      timedOut,
      truncated: stdout.dropped + stderr.dropped > 0,
    };
  });
}

/** The refusal as the REST client reports one, so it is explained the same way. */
function apiException(refusal: UpgradeRefused): ApiException<string> {
  return new ApiException(refusal.code, refusal.message, refusal.body, {});
}

function errorOf(error: unknown): unknown {
  // ws reports connection failures as an ErrorEvent around the Error.
  return (error as { error?: unknown })?.error ?? error;
}
