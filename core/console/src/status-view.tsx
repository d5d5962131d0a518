import { useEffect, useState } from 'preact/hooks';
import { failed, getJson, type Status } from './api';
import { when } from './format';

/** The server as configured and as it runs: pipeline, plugins, certificates, secrets (versions, never values), sessions, chains. */
export function StatusView() {
  const [status, setStatus] = useState<Status | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    getJson<Status>('status')
      .then(setStatus)
      .catch((e: Error) => setError(e.message));
  }, []);
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!status) return <p class="muted">Loading…</p>;
  const { server, certificates, secrets, chains } = status;
  return (
    <div class="grid status">
      <section class="card" data-testid="server">
        <h3>Server</h3>
        <dl>
          <dt>Name</dt>
          <dd>{server.name}</dd>
          <dt>Version</dt>
          <dd>{server.version}</dd>
          <dt>Transport</dt>
          <dd>{server.transport}</dd>
          <dt>Started</dt>
          <dd>{when(server.startedAt)}</dd>
          <dt>Ready</dt>
          <dd>{server.ready ? 'yes' : 'no'}</dd>
          <dt>Audit log</dt>
          <dd class={status.audit.recording ? '' : 'bad'}>{status.audit.recording ? 'recording' : 'cannot record: fail-closed endpoints refuse'}</dd>
          <dt>Sessions</dt>
          <dd>{status.sessions.mode === 'stateful' ? `${status.sessions.open} open` : 'stateless (none kept)'}</dd>
        </dl>
        <h3>Plugins</h3>
        <ul class="plugins">
          {status.plugins.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </section>
      <section class="card wide" data-testid="pipeline">
        <h3>Pipeline (as `cnmcp config print` shows it)</h3>
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>Stage</th>
              <th>Runs</th>
              <th>Status</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {status.pipeline.map((s, i) => (
              <tr key={s.stage} class={s.status}>
                <td class="num">{i + 1}</td>
                <td>
                  <code>{s.stage}</code>
                </td>
                <td>{s.phase}</td>
                <td>{s.status}</td>
                <td>{s.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" data-testid="certificates">
        <h3>Certificates</h3>
        {failed(certificates) ? (
          <p class="error">{certificates.error}</p>
        ) : certificates.length === 0 ? (
          <p class="empty">No TLS configured on this listener.</p>
        ) : (
          <table>
            <tbody>
              {certificates.map((c) => (
                <tr key={c.fingerprint256} class={c.daysLeft < 14 ? 'bad' : ''}>
                  <td>{c.role}</td>
                  <td>{c.subject}</td>
                  <td>expires {when(c.validTo)}</td>
                  <td class="num">{c.daysLeft} days</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" data-testid="secrets">
        <h3>Secrets (versions and rotation; never values)</h3>
        {failed(secrets) ? (
          <p class="error">{secrets.error}</p>
        ) : secrets.length === 0 ? (
          <p class="empty">No secret store, or no secret in it.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Version</th>
                <th>Created</th>
                <th>Next rotation</th>
              </tr>
            </thead>
            <tbody>
              {secrets.map((s) => (
                <tr key={s.name}>
                  <td>{s.name}</td>
                  <td>{s.type}</td>
                  <td class="num">{s.version}</td>
                  <td>{when(s.createdAt)}</td>
                  <td>{s.nextRotation ? when(s.nextRotation) : 'no rule'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" data-testid="chains">
        <h3>Audit chains (last checkpoints)</h3>
        {failed(chains) ? (
          <p class="error">{chains.error}</p>
        ) : !chains.configured ? (
          <p class="empty">No auditing.checkpoints: a deleted tail cannot be detected. Run `cnmcp audit verify` to check the chains.</p>
        ) : (
          <>
            {chains.forgedLines > 0 && <p class="bad">{chains.forgedLines} checkpoint line(s) do not verify: run `cnmcp audit verify`.</p>}
            {chains.found === false && <p class="bad">The checkpoint file does not exist yet.</p>}
            <table>
              <tbody>
                {chains.chains.map((c) => (
                  <tr key={c.chain}>
                    <td>
                      <code>{c.chain}</code>
                    </td>
                    <td class="num">seq {c.seq}</td>
                    <td>{when(c.time)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
