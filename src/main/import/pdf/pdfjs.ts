/**
 * pdf.js, loaded on first use and run offline. It is an ES module, so it is loaded with a dynamic
 * `import()` (which esbuild keeps as is when `pdfjs-dist` is external, so the CommonJS bundles load
 * it from node_modules). In Node it runs its "fake worker" on the calling thread (it imports its own
 * `pdf.worker.mjs` from beside itself), and it reads the standard font data and CMaps from the
 * package's folders with `fs`: nothing is fetched.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ImportError } from '../errors.js';

export type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;
/** getDocument's parameter object (not a URL or bare bytes). */
export type DocumentInit = Extract<Parameters<PdfJs['getDocument']>[0], { data?: unknown }>;

let loading: Promise<PdfJs> | undefined;

/**
 * The pdf.js module (loaded once per thread), with its worker side on the same thread.
 *
 * pdf.js's legacy build carries core-js polyfills, and on Node 20 some of them replace built-ins
 * the engine already has (Array.prototype.push, JSON.parse, JSON.stringify), because V8 fails an
 * edge case of their specification (a push onto an array whose length cannot be written). The
 * replacements are several times slower and would slow everything else on the thread, pdf.js
 * included; the engine's own are put back once both modules have run. What the polyfills add
 * (Promise.withResolvers, Uint8Array.prototype.toHex …) stays: pdf.js needs it on Node 20.
 */
export function loadPdfJs(): Promise<PdfJs> {
  loading ??= (async () => {
    const natives = (['push', 'parse', 'stringify'] as const).map((name) => {
      const owner: object = name === 'push' ? Array.prototype : JSON;
      return { owner, name, descriptor: Object.getOwnPropertyDescriptor(owner, name) };
    });
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    // pdf.js's fake worker takes its message handler from `globalThis.pdfjsWorker` when it is set
    // (its documented way to run the worker side on the main thread) instead of importing it later.
    const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    for (const { owner, name, descriptor } of natives) if (descriptor) Object.defineProperty(owner, name, descriptor);
    return pdfjs;
  })();
  return loading;
}

let packageDir: string | undefined;

/** The installed pdfjs-dist folder, with a trailing separator (pdf.js wants one on its data folders). */
function pdfjsDir(): string {
  if (packageDir) return packageDir;
  // Resolved as `import()` resolves it, from this module: `__filename` in the CommonJS bundle and
  // under vitest. An ES module runner without `__filename` (tsx) resolves from the working folder or
  // the entry script instead (this module does not use `import.meta`, which the bundle lacks).
  const bases = [typeof __filename === 'string' ? __filename : undefined, path.join(process.cwd(), 'index.js'), process.argv[1]];
  for (const base of bases) {
    if (!base) continue;
    try {
      packageDir = path.dirname(createRequire(base).resolve('pdfjs-dist/package.json')) + path.sep;
      return packageDir;
    } catch {
      // Not found from here; try the next base.
    }
  }
  throw new Error('pdfjs-dist is not installed where Gloss can find it');
}

/** What a PDF is opened with: no eval, no font faces, data read from disk, quiet. */
export function documentOptions(data: Uint8Array): DocumentInit {
  const dir = pdfjsDir();
  return {
    data,
    standardFontDataUrl: `${dir}standard_fonts${path.sep}`,
    cMapUrl: `${dir}cmaps${path.sep}`,
    cMapPacked: true,
    wasmUrl: `${dir}wasm${path.sep}`,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    // Text extraction never decodes images: no canvas, no image decoders.
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    stopAtErrors: false,
    verbosity: 0,
  };
}

/** Opens a PDF; every failure a file can cause becomes an ImportError that says what is wrong. */
export async function openPdf(pdfjs: PdfJs, bytes: Uint8Array, name: string): Promise<PdfDocument> {
  if (bytes.length === 0) throw new ImportError(name, 'the file is empty', 'empty');
  if (!hasPdfHeader(bytes)) throw new ImportError(name, 'is not a PDF (it does not begin with "%PDF-"); it may be another kind of file with a .pdf name', 'not-pdf');
  // pdf.js hands the buffer to its worker side, which may detach it: it gets a copy.
  const task = pdfjs.getDocument(documentOptions(bytes.slice()));
  try {
    return await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    throw new ImportError(name, openFailure(e), (e as { name?: unknown } | null)?.name === 'PasswordException' ? 'encrypted' : 'damaged');
  }
}

/** The spec lets a header sit anywhere in the first 1,024 bytes (Acrobat's rule). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

/** A reason for pdf.js's failure to open a file. */
export function openFailure(e: unknown): string {
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'PasswordException') {
    return 'is encrypted with a password; open it in a PDF viewer, save an unprotected copy (print to PDF) and import that';
  }
  if (name === 'InvalidPDFException') return 'is damaged or truncated: its PDF structure cannot be read';
  if (name === 'UnknownErrorException' || name === 'FormatError') return `is damaged: ${(e as Error).message}`;
  return `cannot be read as a PDF (${e instanceof Error ? e.message : String(e)})`;
}
