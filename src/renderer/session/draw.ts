/**
 * How a change of the document session is drawn in the text, whichever view shows it (the
 * sectioned reader or the edit view, both `TextSurface`s).
 */
import type { TextSurface } from '../reader/edit-session.js';
import type { DocumentSession, SessionEvent } from './document-session.js';

/**
 * Draws one session event on `surface`. Edit mode's marks already show what the editor itself did
 * (its undo and redo, its saves), so those are not drawn again there (`editing`).
 */
export function drawChange(surface: TextSurface, session: DocumentSession, e: SessionEvent, editing: boolean): void {
  if (e.reset) return surface.highlights({ type: 'reset', annotations: session.list() });
  if (editing && (e.origin === 'editor' || e.origin === 'saved')) return;
  // Re-attaching is undone by detaching, not deleting: not a step of edit mode's history.
  const undoable = e.origin !== 'reattach';
  for (const a of e.removed) surface.highlights({ type: 'remove', id: a.id });
  for (const a of e.added) surface.highlights({ type: 'add', annotation: a, undoable });
  for (const a of e.updated) {
    const was = e.previous.get(a.id);
    if (!was || was.start !== a.start || was.end !== a.end || was.status !== a.status) {
      surface.highlights({ type: 'remove', id: a.id });
      surface.highlights({ type: 'add', annotation: a, undoable });
    } else if (was.color !== a.color) surface.highlights({ type: 'update', annotation: a });
  }
}
