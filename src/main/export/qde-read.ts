/**
 * Reads a REFI-QDA `project.qde` (QDA-XML, `urn:QDA-XML:project:1.0`) into what Gloss can use:
 * users, the codebook as a tree, text sources with their selections, codings and note references,
 * and the notes. Sources of other kinds (PDF, picture, audio, video) are counted, not read.
 *
 * A bounded SAX walk (htmlparser2 in XML mode: it expands no DTD entities, so an entity bomb has
 * nothing to grow from), with nesting depth, element count and selection count capped, each limit
 * named in the error. Names are resolved through their namespace declarations, so a producer that
 * binds the QDA namespace to a prefix reads the same; elements of other namespaces are passed over.
 */
import { Parser } from 'htmlparser2';
import { ImportError } from '../import/errors.js';

export const QDA_NAMESPACE_PREFIX = 'urn:QDA-XML:project:';
/** Deeper than any project: codes nest a dozen levels at most. */
export const MAX_QDE_DEPTH = 256;
export const MAX_QDE_ELEMENTS = 5_000_000;
export const MAX_QDE_SELECTIONS = 1_000_000;

export interface QdeCode {
  guid: string;
  name: string;
  color: string | undefined;
  parent: string | undefined;
}

export interface QdeSelection {
  guid: string;
  name: string | undefined;
  start: number;
  end: number;
  creatingUser: string | undefined;
  created: string | undefined;
  modified: string | undefined;
  description: string;
  codes: string[];
  notes: string[];
}

export interface QdeTextSource {
  guid: string;
  name: string | undefined;
  plainTextPath: string | undefined;
  /** The text given inline (`PlainTextContent`), when it is not in a file. */
  content: string | undefined;
  description: string;
  created: string | undefined;
  selections: QdeSelection[];
  /** Codings of the whole source (not of a passage): Gloss has no place for them. */
  wholeCodings: number;
  /** Notes the source refers to (QualCoder's annotations: a note holding the passage it is on). */
  noteRefs: string[];
}

export interface QdeNote {
  guid: string;
  name: string | undefined;
  content: string | undefined;
  plainTextPath: string | undefined;
  /** The passage a note is on, when it holds one (QualCoder writes a source's annotations so). */
  selection: { start: number; end: number; created: string | undefined; creatingUser: string | undefined } | undefined;
  created: string | undefined;
  creatingUser: string | undefined;
}

export interface QdeProject {
  name: string;
  origin: string | undefined;
  users: Map<string, string>;
  codes: Map<string, QdeCode>;
  sources: QdeTextSource[];
  /** Sources of kinds Gloss does not read, by element name: PDFSource 2, AudioSource 1. */
  otherSources: Map<string, number>;
  notes: Map<string, QdeNote>;
}

/** `{GUID}` or `guid` in any case, as one lower-case form (the schema allows both). */
export function normalGuid(g: string | undefined): string | undefined {
  if (g === undefined) return undefined;
  const m = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/.exec(g.trim());
  return m ? m[1]!.toLowerCase() : undefined;
}

type Scope = Map<string, string> | null;

/** Parses the project file `part` of `file`; throws ImportError for what is not a REFI-QDA project or breaks a limit. */
export function readQde(xml: string, file: string, part: string): QdeProject {
  const project: QdeProject = { name: '', origin: undefined, users: new Map(), codes: new Map(), sources: [], otherSources: new Map(), notes: new Map() };
  const bad = (why: string) => new ImportError(file, `is not a REFI-QDA project its reader understands (${part}: ${why})`, 'not-qdpx');
  const scopes: Scope[] = [];
  /** Local names of the open elements, null for elements outside the QDA namespace. */
  const stack: (string | null)[] = [];
  let elements = 0;
  let selections = 0;
  let sawRoot = false;

  // What is being read.
  const codeParents: string[] = [];
  let source: QdeTextSource | undefined;
  let selection: QdeSelection | undefined;
  let note: QdeNote | undefined;
  /** Text collected for the element being read (Description, PlainTextContent). */
  let text: string[] | null = null;

  const namespaceOf = (prefix: string): string | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const uri = scopes[i]?.get(prefix);
      if (uri !== undefined) return uri;
    }
    return undefined;
  };

  const parser = new Parser(
    {
      onopentag(qualified, raw) {
        if (++elements > MAX_QDE_ELEMENTS) throw new ImportError(file, `has too many elements in ${part} (more than ${MAX_QDE_ELEMENTS.toLocaleString('en-US')}, the limit)`, 'too-complex');
        if (stack.length >= MAX_QDE_DEPTH) throw new ImportError(file, `nests elements too deeply in ${part} (more than ${MAX_QDE_DEPTH} levels, the limit)`, 'too-complex');
        let scope: Scope = null;
        for (const key in raw) {
          if (key === 'xmlns' || key.startsWith('xmlns:')) {
            scope ??= new Map();
            scope.set(key === 'xmlns' ? '' : key.slice(6), raw[key] ?? '');
          }
        }
        scopes.push(scope);
        const colon = qualified.indexOf(':');
        const local = colon < 0 ? qualified : qualified.slice(colon + 1);
        const ns = namespaceOf(colon < 0 ? '' : qualified.slice(0, colon)) ?? '';
        const name = ns.startsWith(QDA_NAMESPACE_PREFIX) ? local : null;
        if (!sawRoot) {
          if (name !== 'Project') throw bad(`its root element is <${qualified}>${ns ? ` in ${ns}` : ''}, not <Project> in ${QDA_NAMESPACE_PREFIX}1.0`);
          sawRoot = true;
          project.name = raw.name ?? '';
          project.origin = raw.origin;
        }
        const within = stack[stack.length - 1];
        const above = stack[stack.length - 2];
        stack.push(name);
        if (name === null) return;
        const a = (k: string) => raw[k];
        switch (name) {
          case 'User': {
            const guid = normalGuid(a('guid'));
            if (guid) project.users.set(guid, a('name') ?? a('id') ?? '');
            break;
          }
          case 'Code': {
            const guid = normalGuid(a('guid'));
            if (!guid) throw bad('a Code has no valid guid');
            project.codes.set(guid, { guid, name: a('name') ?? '', color: a('color'), parent: within === 'Code' ? codeParents[codeParents.length - 1] : undefined });
            codeParents.push(guid);
            break;
          }
          case 'TextSource':
            if (within === 'Sources') {
              const guid = normalGuid(a('guid'));
              if (!guid) throw bad('a TextSource has no valid guid');
              source = { guid, name: a('name'), plainTextPath: a('plainTextPath'), content: undefined, description: '', created: a('creationDateTime'), selections: [], wholeCodings: 0, noteRefs: [] };
            }
            break;
          case 'PDFSource':
          case 'PictureSource':
          case 'AudioSource':
          case 'VideoSource':
            if (within === 'Sources') project.otherSources.set(name, (project.otherSources.get(name) ?? 0) + 1);
            break;
          case 'PlainTextSelection':
            if (note && within === 'Note') {
              const start = position(a('startPosition'));
              const end = position(a('endPosition'));
              if (start !== undefined && end !== undefined) note.selection = { start, end, created: note.created ?? a('creationDateTime'), creatingUser: note.creatingUser };
            } else if (source && within === 'TextSource') {
              if (++selections > MAX_QDE_SELECTIONS) throw new ImportError(file, `has more than ${MAX_QDE_SELECTIONS.toLocaleString('en-US')} selections in ${part} (the limit)`, 'too-complex');
              const start = position(a('startPosition'));
              const end = position(a('endPosition'));
              const guid = normalGuid(a('guid'));
              if (!guid) throw bad('a PlainTextSelection has no valid guid');
              if (start === undefined || end === undefined) throw bad(`the selection ${guid} has no whole-number startPosition and endPosition`);
              selection = { guid, name: a('name'), start, end, creatingUser: normalGuid(a('creatingUser')), created: a('creationDateTime'), modified: a('modifiedDateTime'), description: '', codes: [], notes: [] };
            }
            break;
          case 'Note':
            if (within === 'Notes') {
              const guid = normalGuid(a('guid'));
              if (guid) note = { guid, name: a('name'), content: undefined, plainTextPath: a('plainTextPath'), selection: undefined, created: a('creationDateTime'), creatingUser: normalGuid(a('creatingUser')) };
            }
            break;
          case 'CodeRef': {
            const target = normalGuid(a('targetGUID'));
            if (within === 'Coding' && target) {
              if (selection && above === 'PlainTextSelection') selection.codes.push(target);
              else if (source && above === 'TextSource') source.wholeCodings++;
            }
            break;
          }
          case 'NoteRef': {
            const target = normalGuid(a('targetGUID'));
            // A note on the selection, or on one of its codings (a coding memo).
            if (target && selection && (within === 'PlainTextSelection' || (within === 'Coding' && above === 'PlainTextSelection'))) selection.notes.push(target);
            else if (target && source && !selection && within === 'TextSource') source.noteRefs.push(target);
            break;
          }
          case 'Description':
          case 'PlainTextContent':
            if (within === 'PlainTextSelection' || within === 'TextSource' || within === 'Note') text = [];
            break;
        }
      },
      ontext(chunk) {
        if (text) text.push(chunk);
      },
      onclosetag() {
        const name = stack.pop();
        scopes.pop();
        if (name === null || name === undefined) return;
        const within = stack[stack.length - 1];
        if ((name === 'Description' || name === 'PlainTextContent') && text) {
          const value = text.join('');
          text = null;
          if (within === 'PlainTextSelection' && selection && name === 'Description') selection.description = value;
          else if (within === 'TextSource' && source && stack[stack.length - 2] === 'Sources') {
            if (name === 'Description') source.description = value;
            else source.content = value;
          } else if (within === 'Note' && note && name === 'PlainTextContent') note.content = value;
          return;
        }
        if (name === 'Code') codeParents.pop();
        else if (name === 'PlainTextSelection' && selection && within === 'TextSource') {
          source?.selections.push(selection);
          selection = undefined;
        } else if (name === 'TextSource' && source && within === 'Sources') {
          project.sources.push(source);
          source = undefined;
        } else if (name === 'Note' && note && within === 'Notes') {
          project.notes.set(note.guid, note);
          note = undefined;
        }
      },
    },
    { xmlMode: true },
  );
  try {
    parser.write(xml);
    parser.end();
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(file, `is damaged (${part} cannot be read: ${e instanceof Error ? e.message : String(e)})`, 'damaged');
  }
  if (!sawRoot) throw bad('it holds no XML element');
  return project;
}

/** A whole number of characters (xsd:integer, not negative), or undefined. */
function position(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*\+?\d{1,15}\s*$/.test(v)) return undefined;
  return Number(v.trim());
}
