import { documentView, unitSections, type DocumentModel } from './engine/index.ts';
import { renderHtmlDocument } from './engine/render/html.ts';
import { toDocx } from './engine/export/docx.ts';
import { toXlsx } from './engine/export/xlsx.ts';

export type FileFormat = 'html' | 'docx' | 'xlsx';

/** A checked document as the bytes of an exported file: what the CLI and the editor's export commands save. */
export async function exportDocument(model: DocumentModel, format: FileFormat, byUnit: boolean): Promise<Uint8Array> {
  const view = documentView(model);
  const options = byUnit ? { byUnit: unitSections(model) } : {};
  switch (format) {
    case 'html':
      return new TextEncoder().encode(renderHtmlDocument(view, options));
    case 'docx':
      return toDocx(view, options);
    case 'xlsx':
      return toXlsx(view, options);
  }
}
