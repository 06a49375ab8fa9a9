/** The page's place, kept in the URL hash so a reload reopens it: `#doc=2&hits=10-15`, `#search=...`. */

export type Route =
  | { view: 'library' }
  | { view: 'doc'; doc: number; hits: { start: number; end: number }[]; annotation: string | null }
  | { view: 'search'; query: string };

export function parseRoute(hash: string): Route {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const doc = Number(params.get('doc'));
  if (Number.isInteger(doc) && doc > 0) {
    const hits = (params.get('hits') ?? '')
      .split(',')
      .map((s) => /^(\d+)-(\d+)$/.exec(s))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ start: Number(m[1]), end: Number(m[2]) }))
      .filter((r) => r.end > r.start);
    return { view: 'doc', doc, hits, annotation: params.get('ann') };
  }
  const query = params.get('search');
  if (query) return { view: 'search', query };
  return { view: 'library' };
}

export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  if (route.view === 'doc') {
    params.set('doc', String(route.doc));
    if (route.hits.length) params.set('hits', route.hits.map((h) => `${h.start}-${h.end}`).join(','));
    if (route.annotation) params.set('ann', route.annotation);
  } else if (route.view === 'search') {
    params.set('search', route.query);
  }
  const s = params.toString();
  return s ? '#' + s : '#';
}
