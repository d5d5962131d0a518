// Watch (`?watch=1`): a chunked stream of JSON WatchEvents, one per line, as the apiserver writes them. Without a
// resourceVersion (or with "0") the stream starts with an ADDED event per current object; with one, it replays the
// changes after it. Table clients get each object as a one-row Table, column definitions in the first only.
// Bookmarks are never sent (allowWatchBookmarks is a hint the server may ignore); timeoutSeconds ends the stream.
import type { ServerResponse } from 'node:http';
import { storageOf, type KubeObject, type StoreChange } from './fixture-store.js';
import { selected, servedAs, tableOf, type Target } from './resource-target.js';
import type { Answer, ServerState } from './routes.js';
import { badRequest } from './status.js';

export function watchStream(state: ServerState, t: Target, query: URLSearchParams, accept: string | undefined): Answer {
  const from = query.get('resourceVersion') ?? '';
  if (from !== '' && !/^\d+$/.test(from)) throw badRequest(`invalid resource version: "${from}"`);
  const timeout = Number(query.get('timeoutSeconds') ?? 0);
  const matches = selected(t, query);
  const storage = storageOf(t.group, t.resource.name);
  const asTable = (accept ?? '').includes('as=Table');
  // Like the apiserver, only the first Table of a watch carries column definitions; later ones set NoHeaders.
  let headers = true;
  const encode = (type: string, o: KubeObject) => {
    const object = asTable ? tableOf(state, t, query, [o], { resourceVersion: String(o.metadata.resourceVersion) }, !headers) : servedAs(t, o);
    headers = false;
    return `${JSON.stringify({ type, object })}\n`;
  };

  return {
    stream(res: ServerResponse) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
      res.flushHeaders();
      const send = (change: StoreChange) => {
        if (change.storage === storage && matches(change.object)) res.write(encode(change.type, change.object));
      };
      if (from === '' || from === '0') {
        for (const o of state.store.list(t.group, t.resource.name, t.namespace).filter(matches)) res.write(encode('ADDED', o));
      } else {
        for (const change of state.store.history) if (Number(change.object.metadata.resourceVersion) > Number(from)) send(change);
      }
      const stop = state.store.subscribe(send);
      const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
      res.on('close', () => {
        stop();
        if (timer) clearTimeout(timer);
      });
    },
  };
}
