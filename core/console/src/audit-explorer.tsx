import { useEffect, useState } from 'preact/hooks';
import { getJson, OUTCOMES, type AuditEvent, type EventPage, type Me } from './api';
import { traceLink, when } from './format';

const TYPES = [
  'tool.call',
  'auth.success',
  'auth.failure',
  'auth.lockout',
  'access.denied',
  'rate.limited',
  'input.rejected',
  'input.sanitized',
  'request.rejected',
  'console.view',
  'config.loaded',
  'server.started',
  'server.stopped',
  'audit.erased',
];
const PAGE = 50;

interface Filters {
  since: string;
  until: string;
  actor: string;
  tool: string;
  outcome: string;
  type: string;
  ip: string;
  q: string;
}
const EMPTY: Filters = { since: '1h', until: '', actor: '', tool: '', outcome: '', type: '', ip: '', q: '' };

/** Filters, a page of events at a time (cursor paging: the server never loads the log whole), and one event's detail. */
export function AuditExplorer({ me }: { me: Me }) {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  // Cursors of the pages seen so far: pages[i] is the `after` of page i (undefined for the first).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  // The page shown, and which of the cursors it was read at (the label follows what is on screen, not what was asked).
  const [page, setPage] = useState<(EventPage & { number: number }) | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [selected, setSelected] = useState<AuditEvent | undefined>();
  const after = cursors.at(-1);

  useEffect(() => {
    let live = true;
    setError(undefined);
    getJson<EventPage>('events', { ...applied, after, limit: String(PAGE) })
      .then((p) => live && setPage({ ...p, number: cursors.length }))
      .catch((e: Error) => live && (setPage(undefined), setError(e.message)));
    return () => void (live = false);
  }, [applied, after]);

  const field = (name: keyof Filters, label: string, placeholder = '') => (
    <label>
      {label}
      <input name={name} value={draft[name]} placeholder={placeholder} onInput={(e) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value })} />
    </label>
  );

  return (
    <div class="explorer">
      <form
        class="filters card"
        data-testid="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setSelected(undefined);
          setCursors([undefined]);
          setApplied(draft);
        }}
      >
        {field('since', 'Since', '1h, 7d or 2026-12-01T08:00Z')}
        {field('until', 'Until', 'now')}
        {field('actor', 'Identity')}
        {field('tool', 'Tool', 'kubernetes_*')}
        <label>
          Outcome
          <select name="outcome" value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: (e.target as HTMLSelectElement).value })}>
            <option value="">any</option>
            {OUTCOMES.map((o) => (
              <option value={o}>{o}</option>
            ))}
          </select>
        </label>
        <label>
          Event type
          <input name="type" list="event-types" value={draft.type} onInput={(e) => setDraft({ ...draft, type: (e.target as HTMLInputElement).value })} />
          <datalist id="event-types">
            {TYPES.map((t) => (
              <option value={t} />
            ))}
          </datalist>
        </label>
        {field('ip', 'Source address')}
        {field('q', 'Text or secret value', 'matched as typed and as its HMAC')}
        <div class="actions">
          <button type="submit">Apply</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft(EMPTY);
              setCursors([undefined]);
              setApplied(EMPTY);
            }}
          >
            Reset
          </button>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {page && (
        <div class="results">
          <section class="card">
            <table class="events" data-testid="events">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Type</th>
                  <th>Outcome</th>
                  <th>Identity</th>
                  <th>Tool</th>
                  <th>Source</th>
                </tr>
              </thead>
              <tbody>
                {page.events.map((e) => (
                  <tr key={e.id} class={e.id === selected?.id ? 'selected' : ''} onClick={() => setSelected(e)} data-testid="event-row" data-id={e.id}>
                    <td>{when(e.time)}</td>
                    <td>{e.type}</td>
                    <td>
                      <span class={`outcome ${e.outcome}`}>{e.outcome}</span>
                    </td>
                    <td>{e.actor?.id ?? (typeof e.details?.subject === 'string' ? `${e.details.subject} (claimed)` : '-')}</td>
                    <td>{e.tool ?? '-'}</td>
                    <td>{e.source?.ip ?? '-'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page.events.length === 0 && <p class="empty">No event matches these filters.</p>}
            <div class="pager">
              <button type="button" class="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                Previous
              </button>
              <span data-testid="page-number">
                Page {page.number} · {page.events.length} events · {page.scanned} read
              </span>
              <button type="button" disabled={!page.next} onClick={() => setCursors([...cursors, page.next])} data-testid="next-page">
                Next
              </button>
            </div>
          </section>
          {selected && <EventDetail event={selected} tracingUrl={me.tracingUrl} />}
        </div>
      )}
    </div>
  );
}

function EventDetail({ event, tracingUrl }: { event: AuditEvent; tracingUrl: string | undefined }) {
  const link = traceLink(tracingUrl, event.traceId);
  return (
    <aside class="card detail" data-testid="event-detail">
      <h3>
        {event.type} <span class={`outcome ${event.outcome}`}>{event.outcome}</span>
      </h3>
      {event.traceId && (
        <p>
          Trace{' '}
          {link ? (
            <a href={link} target="_blank" rel="noopener noreferrer" data-testid="trace-link">
              {event.traceId}
            </a>
          ) : (
            <code>{event.traceId}</code>
          )}
        </p>
      )}
      <pre>{JSON.stringify(event, null, 2)}</pre>
    </aside>
  );
}
