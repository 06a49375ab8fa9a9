/**
 * Blocks with their texts. Since v10 a block's text lives in `block_texts` (keyed by the block's
 * id), so that the rows an edit moves (index, start offset) are narrow; every query that reads a
 * block's text joins the two through `BLOCK_ROWS` (`b` the block, `t` its text).
 */
import type { Database } from 'better-sqlite3';

export const BLOCK_ROWS = 'blocks b JOIN block_texts t ON t.id = b.id';

/** The texts of a document's blocks, in order. */
export function blockTexts(db: Database, id: number): string[] {
  return db.prepare(`SELECT t.text FROM ${BLOCK_ROWS} WHERE b.document_id = ? ORDER BY b.idx`).pluck().all(id) as string[];
}
