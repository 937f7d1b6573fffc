import type { DocumentView, UnitSection } from './engine/table.ts';
import type { ExportFormat } from './protocol.ts';
import { renderHtmlDocument } from './engine/render/html.ts';
import { toDocx } from './engine/export/docx.ts';

/**
 * A document's view (engine/table.ts) as the bytes of an exported file: what the CLI and the
 * editor's export commands save. This module is a bundle of its own (esbuild.mjs), loaded only
 * when something is exported; it takes the view rather than the model so that it carries no
 * parser: callers have the engine already.
 */
export async function exportView(view: DocumentView, format: ExportFormat, byUnit?: UnitSection[]): Promise<Uint8Array> {
  const options = byUnit ? { byUnit } : {};
  switch (format) {
    case 'html':
      return new TextEncoder().encode(renderHtmlDocument(view, options));
    case 'docx':
      return toDocx(view, options);
    case 'xlsx': {
      // exceljs is large: a bundle of its own, loaded only for Excel (esbuild.mjs).
      const { toXlsx } = await import('./engine/export/xlsx.ts');
      return toXlsx(view, options);
    }
  }
}
