import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import '../console.css';
import { ApiError, getJson, type Me } from './api';
import { ActivityView } from './activity-view';
import { AuditExplorer } from './audit-explorer';
import { StatusView } from './status-view';

const TABS = { audit: 'Audit log', activity: 'Activity', status: 'Status' } as const;
type Tab = keyof typeof TABS;
const tabOf = (hash: string): Tab => (hash.slice(2) in TABS ? (hash.slice(2) as Tab) : 'audit');

function App() {
  const [tab, setTab] = useState<Tab>(tabOf(location.hash));
  const [me, setMe] = useState<Me | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const onHash = () => setTab(tabOf(location.hash));
    addEventListener('hashchange', onHash);
    getJson<Me>('me')
      .then(setMe)
      .catch((e: Error) => setError(e instanceof ApiError && e.status === 403 ? 'You do not hold the console:read permission.' : e.message));
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return (
    <>
      <header>
        <h1>cnmcp console</h1>
        <nav>
          {(Object.keys(TABS) as Tab[]).map((t) => (
            <a href={`#/${t}`} class={t === tab ? 'active' : ''} data-testid={`tab-${t}`}>
              {TABS[t]}
            </a>
          ))}
        </nav>
        {me && (
          <span class="who" data-testid="who">
            {me.identity.id} ({me.identity.authMethod}) · read-only
          </span>
        )}
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {me && !me.auditQueryable && tab !== 'status' && <p class="error">No configured audit sink can be queried: configure a file or postgres sink.</p>}
      {me && tab === 'audit' && <AuditExplorer me={me} />}
      {me && tab === 'activity' && <ActivityView />}
      {me && tab === 'status' && <StatusView />}
    </>
  );
}

render(<App />, document.getElementById('app')!);
