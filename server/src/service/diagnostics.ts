import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver-types';
import type { Diagnostic } from '../engine/index.ts';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information } as const;

/** What a code action needs, carried on the LSP diagnostic (`diagnostic.data`). */
export interface DiagnosticData {
  fixes?: Diagnostic['fixes'];
  /** The engine's own extra facts (unknown name, suggestions, expected number). */
  facts?: Record<string, unknown>;
}

/**
 * An engine diagnostic as LSP has it; related locations in the same document get `uri`, and
 * the code its link to the rule's section of the reference when `docs` has one.
 */
export function toLspDiagnostic(d: Diagnostic, uri: string, uriOf: (path: string) => string, docs?: ReadonlyMap<string, string>): LspDiagnostic {
  const out: LspDiagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'fenjie',
    message: d.message,
    data: { fixes: d.fixes, facts: d.data } satisfies DiagnosticData,
  };
  const href = docs?.get(d.code);
  if (href) out.codeDescription = { href };
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: r.file ? uriOf(r.file) : uri, range: r.range }, message: r.message }));
  }
  return out;
}
