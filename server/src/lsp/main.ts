import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { ruleDocsLinks } from '../host/docs.ts';
import { startServer } from './server.ts';

/**
 * The language server over stdio (`fenjie lsp --stdio`, for Neovim, Emacs and the like) or
 * over node IPC (the VS Code extension): vscode-languageserver picks the transport from
 * the command line arguments.
 */
export function runServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection, { ruleDocs: ruleDocsLinks(__dirname) });
  connection.listen();
}

// Started as its own bundle (out/server.cjs) rather than imported by the CLI.
if (typeof require !== 'undefined' && require.main === module) runServer();
