/**
 * Versioned schema migrations, tracked in `PRAGMA user_version`. Each step runs in the same
 * transaction as the version bump, so a failed step leaves the file at the version before it.
 * Never edit a shipped step: add a new one.
 */
import type { Database } from 'better-sqlite3';
import { foldText } from '../../common/text/fold.js';

export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'documents, blocks, annotations, tags',
    up(db) {
      db.exec(`
        CREATE TABLE documents (
          id INTEGER PRIMARY KEY,
          title TEXT NOT NULL,
          language TEXT NOT NULL CHECK (language IN ('he','en','mixed')),
          source_name TEXT NOT NULL,
          content_hash TEXT NOT NULL UNIQUE,
          imported_at TEXT NOT NULL
        );
        CREATE TABLE blocks (
          id INTEGER PRIMARY KEY,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          idx INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('paragraph','heading','quote')),
          dir TEXT NOT NULL CHECK (dir IN ('rtl','ltr')),
          depth INTEGER NOT NULL DEFAULT 0,
          start INTEGER NOT NULL,
          text TEXT NOT NULL,
          UNIQUE (document_id, idx)
        );
        CREATE TABLE annotations (
          rid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          start INTEGER NOT NULL,
          end INTEGER NOT NULL,
          exact TEXT NOT NULL,
          prefix TEXT NOT NULL DEFAULT '',
          suffix TEXT NOT NULL DEFAULT '',
          color TEXT NOT NULL DEFAULT 'yellow',
          note TEXT NOT NULL DEFAULT '',
          status TEXT NOT NULL DEFAULT 'anchored' CHECK (status IN ('anchored','orphaned')),
          created TEXT NOT NULL,
          modified TEXT NOT NULL,
          CHECK (end >= start)
        );
        CREATE INDEX annotations_by_document ON annotations(document_id, start);
        CREATE TABLE tags (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL UNIQUE,
          color TEXT
        );
        CREATE TABLE annotation_tags (
          annotation_rid INTEGER NOT NULL REFERENCES annotations(rid) ON DELETE CASCADE,
          tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
          PRIMARY KEY (annotation_rid, tag_id)
        ) WITHOUT ROWID;
        CREATE INDEX annotation_tags_by_tag ON annotation_tags(tag_id);
      `);
    },
  },
  {
    version: 2,
    description: 'folded full-text search over blocks and notes; settings',
    up(db) {
      // Trigram FTS5 over a folded shadow of the text: substring matching suits Hebrew, whose
      // prefixes (ו, ה, ב, ל ...) are written attached to the word.
      db.exec(`
        CREATE VIRTUAL TABLE blocks_fts USING fts5(folded, tokenize = 'trigram');
        CREATE VIRTUAL TABLE notes_fts USING fts5(folded, tokenize = 'trigram');
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
      const addBlock = db.prepare('INSERT INTO blocks_fts(rowid, folded) VALUES (?, ?)');
      for (const row of db.prepare('SELECT id, text FROM blocks').all() as Array<{ id: number; text: string }>) {
        addBlock.run(row.id, foldText(row.text));
      }
      const addNote = db.prepare('INSERT INTO notes_fts(rowid, folded) VALUES (?, ?)');
      for (const row of db.prepare("SELECT rid, note FROM annotations WHERE note <> ''").all() as Array<{ rid: number; note: string }>) {
        addNote.run(row.rid, foldText(row.note));
      }
    },
  },
  {
    version: 3,
    description: 'room for translation pairs: block alignments and links between annotations',
    up(db) {
      db.exec(`
        CREATE TABLE pairs (
          id INTEGER PRIMARY KEY,
          source_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          target_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          created TEXT NOT NULL,
          UNIQUE (source_id, target_id)
        );
        CREATE TABLE alignments (
          id INTEGER PRIMARY KEY,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          source_blocks TEXT NOT NULL,
          target_blocks TEXT NOT NULL,
          confirmed INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE annotation_links (
          a_rid INTEGER NOT NULL REFERENCES annotations(rid) ON DELETE CASCADE,
          b_rid INTEGER NOT NULL REFERENCES annotations(rid) ON DELETE CASCADE,
          created TEXT NOT NULL,
          PRIMARY KEY (a_rid, b_rid)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    description: 'translation pairs know whether the target was started in Gloss; indexes for alignments and links',
    up(db) {
      db.exec(`
        ALTER TABLE pairs ADD COLUMN kind TEXT NOT NULL DEFAULT 'aligned' CHECK (kind IN ('aligned','translation'));
        CREATE INDEX alignments_by_pair ON alignments(pair_id, id);
        CREATE INDEX annotation_links_by_b ON annotation_links(b_rid);
      `);
    },
  },
  {
    version: 5,
    description: 'revision history: the text of a document before each update, to see and restore',
    up(db) {
      db.exec(`
        CREATE TABLE revisions (
          id INTEGER PRIMARY KEY,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          created TEXT NOT NULL,
          text TEXT NOT NULL,
          blocks TEXT NOT NULL,
          language TEXT NOT NULL CHECK (language IN ('he','en','mixed')),
          source_name TEXT NOT NULL,
          content_hash TEXT NOT NULL,
          reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX revisions_by_document ON revisions(document_id, id);
      `);
    },
  },
  {
    version: 6,
    description: 'real documents: block kinds for lists, tables, code and notes; block and document metadata (pages, author, source kind); annotation authors',
    up(db) {
      // SQLite cannot change a CHECK constraint in place: the blocks table is rebuilt with the
      // same ids, so the search shadow (keyed by block id) stays valid. Nothing references blocks.
      db.exec(`
        CREATE TABLE blocks_v6 (
          id INTEGER PRIMARY KEY,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          idx INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('paragraph','heading','quote','item','row','code','note')),
          dir TEXT NOT NULL CHECK (dir IN ('rtl','ltr')),
          depth INTEGER NOT NULL DEFAULT 0,
          start INTEGER NOT NULL,
          text TEXT NOT NULL,
          meta TEXT,
          UNIQUE (document_id, idx)
        );
        INSERT INTO blocks_v6 (id, document_id, idx, kind, dir, depth, start, text)
          SELECT id, document_id, idx, kind, dir, depth, start, text FROM blocks;
        DROP TABLE blocks;
        ALTER TABLE blocks_v6 RENAME TO blocks;
        ALTER TABLE documents ADD COLUMN meta TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE annotations ADD COLUMN author TEXT NOT NULL DEFAULT '';
      `);
    },
  },
  {
    version: 7,
    description: 'deleted annotations kept as tombstones, so that undo asks the library to bring one back instead of sending it; blocks indexed by offset',
    up(db) {
      db.exec(`
        CREATE TABLE annotation_tombstones (
          id TEXT PRIMARY KEY,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          deleted TEXT NOT NULL,
          content_hash TEXT NOT NULL,
          record TEXT NOT NULL
        );
        CREATE INDEX annotation_tombstones_by_deleted ON annotation_tombstones(deleted);
        -- A new highlight reads only the blocks around it, found by offset.
        CREATE INDEX blocks_by_start ON blocks(document_id, start);
        -- Deleted tags, with who carried them, for undo (kept a day).
        CREATE TABLE tag_tombstones (
          id INTEGER PRIMARY KEY,
          deleted TEXT NOT NULL,
          snapshot TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 8,
    description: 'alignment units marked for review when a text of their pair changed under them',
    up(db) {
      db.exec(`ALTER TABLE alignments ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;`);
    },
  },
  {
    version: 9,
    description: 'team libraries: the team connection, what is shared, the Yjs state of each shared document, pending updates, tag renames to send',
    up(db) {
      // A shared item whose local document or pair is removed keeps its row (document_id NULL):
      // the team still shares it, this library just no longer holds it.
      db.exec(`
        CREATE TABLE team_connection (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          url TEXT NOT NULL,
          token TEXT NOT NULL,
          member TEXT NOT NULL,
          joined TEXT NOT NULL,
          last_sync TEXT
        );
        CREATE TABLE team_texts (
          text_id TEXT PRIMARY KEY,
          document_id INTEGER UNIQUE REFERENCES documents(id) ON DELETE SET NULL,
          content_sent TEXT,
          shared TEXT NOT NULL
        );
        CREATE TABLE team_pairs (
          pair_uuid TEXT PRIMARY KEY,
          pair_id INTEGER UNIQUE REFERENCES pairs(id) ON DELETE SET NULL,
          shared TEXT NOT NULL
        );
        CREATE TABLE team_docs (
          name TEXT PRIMARY KEY,
          state BLOB NOT NULL,
          saved TEXT NOT NULL
        );
        CREATE TABLE team_pending (
          id INTEGER PRIMARY KEY,
          doc TEXT NOT NULL,
          bytes BLOB NOT NULL,
          created TEXT NOT NULL
        );
        CREATE INDEX team_pending_by_doc ON team_pending(doc, id);
        CREATE TABLE team_tag_renames (
          id INTEGER PRIMARY KEY,
          from_path TEXT NOT NULL,
          to_path TEXT NOT NULL,
          at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 10,
    description: "blocks' texts in a table of their own, so that a change near the start of a book moves narrow rows (index, offset) rather than rewriting the pages of every later block's text",
    up(db) {
      // Rows keep their ids: the search shadow (keyed by block id) stays valid.
      db.exec(`
        CREATE TABLE block_texts (
          id INTEGER PRIMARY KEY REFERENCES blocks(id) ON DELETE CASCADE,
          text TEXT NOT NULL
        );
        INSERT INTO block_texts (id, text) SELECT id, text FROM blocks;
        ALTER TABLE blocks DROP COLUMN text;
      `);
    },
  },
];

export const LATEST_VERSION = migrations[migrations.length - 1]!.version;
