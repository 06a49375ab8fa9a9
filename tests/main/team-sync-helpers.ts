/** Shared by the team-sync tests: a server to sync through, and a library's state to compare. */
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import type { Library } from '../../src/main/library.js';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** An in-process Hocuspocus server (memory only) that checks a token. */
export async function startServer(token: string): Promise<RunningServer> {
  const stored = new Map<string, Uint8Array>();
  const server = new Server({
    port: 0,
    address: '127.0.0.1',
    quiet: true,
    // Without persistence a document is gone when its last client leaves.
    extensions: [new Database({ fetch: async ({ documentName }) => stored.get(documentName) ?? null, store: async ({ documentName, state }) => void stored.set(documentName, state) })],
    async onAuthenticate({ token: given }) {
      if (given !== token) throw new Error('unauthorized');
    },
  });
  await server.listen();
  const port = (server.httpServer.address() as { port: number }).port;
  return { url: `ws://127.0.0.1:${port}`, stop: () => server.destroy() };
}

/**
 * Everything the team shares, keyed so that libraries compare whole: each shared text by its
 * id (content hash) with its annotations by id (every field, tags), its tombstones' ids, and
 * the tag tree with colours.
 */
export function libraryState(lib: Library) {
  const texts = lib.db.prepare('SELECT t.text_id, t.document_id FROM team_texts t ORDER BY t.text_id').all() as { text_id: string; document_id: number | null }[];
  const out: Record<string, unknown> = {};
  for (const t of texts) {
    if (t.document_id === null) continue;
    const annotations = Object.fromEntries(
      lib.annotations(t.document_id).map((a) => {
        const { documentId: _d, ...rest } = a;
        void _d;
        return [a.id, rest];
      }),
    );
    const tombstones = (lib.db.prepare('SELECT id FROM annotation_tombstones WHERE document_id = ? ORDER BY id').all(t.document_id) as { id: string }[]).map((r) => r.id);
    out[t.text_id] = { text: lib.text(t.document_id), annotations, tombstones };
  }
  const tags = lib.tags().map((t) => ({ path: t.path, color: t.color, count: t.count }));
  return { texts: out, tags };
}
