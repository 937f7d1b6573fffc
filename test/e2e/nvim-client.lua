-- Neovim as an LSP client of fenjie, for test/e2e/neovim.test.ts. Written for Neovim 0.7
-- (Debian 12's), so it uses only what 0.7 has: vim.lsp.start_client and
-- vim.lsp.buf_attach_client (vim.lsp.start is 0.8, vim.lsp.config/enable 0.11; `nvim -l`
-- is 0.9). Run it headless, with its inputs in the environment:
--
--   nvim --headless -u NONE -i NONE -n -c 'luafile test/e2e/nvim-client.lua'
--
--   FENJIE_REPO       the fenjie checkout (its server/bin/fenjie.js is the server)
--   FENJIE_WORKSPACE  the workspace folder (root_dir)
--   FENJIE_DOCUMENT   the .fj.md file to open, inside the workspace
--   FENJIE_RESULT     where to write the JSON result
--   FENJIE_TIMEOUT_MS how long to wait for each answer (default 20000)
--
-- It opens the document, waits for the server's diagnostics, adds a line `牵头单位：` (an
-- ordinary buffer edit, which the client sends as didChange), asks for completion at its
-- end, writes {diagnostics = {...}, completion = {...}} to FENJIE_RESULT and exits 0.
-- Anything that does not arrive in time: a message on stderr and a non-zero exit code.

local EXIT_SETUP, EXIT_TIMEOUT, EXIT_ERROR = 2, 3, 4

local function fail(code, message)
  io.stderr:write('nvim-client.lua: ' .. message .. '\n')
  vim.cmd('cquit ' .. code)
end

local function main()
  local env = {}
  for _, name in ipairs({ 'FENJIE_REPO', 'FENJIE_WORKSPACE', 'FENJIE_DOCUMENT', 'FENJIE_RESULT' }) do
    env[name] = os.getenv(name)
    if not env[name] or env[name] == '' then
      return fail(EXIT_SETUP, name .. ' is not set')
    end
  end
  local timeout = tonumber(os.getenv('FENJIE_TIMEOUT_MS') or '') or 20000
  local server = env.FENJIE_REPO .. '/server/bin/fenjie.js'
  if vim.fn.filereadable(server) == 0 then
    return fail(EXIT_SETUP, server .. ' is missing')
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(env.FENJIE_DOCUMENT))
  local bufnr = vim.api.nvim_get_current_buf()
  -- As a user's `vim.filetype.add({ pattern = { ['.*%.fj%.md'] = 'fenjie' } })` would; the
  -- client sends the filetype as the document's languageId.
  vim.bo[bufnr].filetype = 'fenjie'
  local uri = vim.uri_from_bufnr(bufnr)

  -- Count every publishDiagnostics for this document, empty ones too, then let the
  -- default handler put them into vim.diagnostic as usual. By buffer, not by URI text: the
  -- server may percent-encode the Chinese file name differently, as the default handler allows.
  local published = 0
  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'fenjie',
    cmd = { 'node', server, 'lsp', '--stdio' },
    root_dir = env.FENJIE_WORKSPACE,
    workspace_folders = { { uri = vim.uri_from_fname(env.FENJIE_WORKSPACE), name = 'fenjie-e2e' } },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        if result and vim.uri_to_bufnr(result.uri) == bufnr then
          published = published + 1
        end
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
    on_exit = function(code, signal)
      exited = string.format('code %s, signal %s', tostring(code), tostring(signal))
    end,
  })
  if not client_id then
    return fail(EXIT_ERROR, 'vim.lsp.start_client did not start the server')
  end
  -- didOpen is sent once the server has answered initialize.
  vim.lsp.buf_attach_client(bufnr, client_id)

  local arrived = vim.wait(timeout, function()
    return published > 0 or exited ~= nil
  end, 20)
  if exited then
    return fail(EXIT_ERROR, 'the server exited (' .. exited .. ') before publishing diagnostics')
  end
  if not arrived then
    return fail(EXIT_TIMEOUT, string.format('no diagnostics for %s within %d ms', uri, timeout))
  end

  local diagnostics = vim.diagnostic.get(bufnr)
  table.sort(diagnostics, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  local codes, lines = {}, {}
  for i, d in ipairs(diagnostics) do
    codes[i] = d.code or vim.NIL
    lines[i] = d.lnum + 1
  end

  -- A new line `   - 牵头单位：` after the first 责任单位 line, made like any edit in the
  -- buffer: the client tracks it and sends didChange (flushed before the next request).
  local text = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true)
  local after = nil
  for i, line in ipairs(text) do
    if line:match('^%s*%- 责任单位：') then
      after = i
      break
    end
  end
  if not after then
    return fail(EXIT_ERROR, 'the document has no “- 责任单位：” line to add a 牵头单位 after')
  end
  local added = '   - 牵头单位：'
  vim.api.nvim_buf_set_lines(bufnr, after, after, true, { added })
  -- Right after the colon: a byte column, turned into the client's encoding (UTF-16). Not
  -- through the cursor: in Normal mode it cannot stand after the line's last character.
  local client = vim.lsp.get_client_by_id(client_id)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    position = { line = after, character = vim.lsp.util.character_offset(bufnr, after, #added, client.offset_encoding) },
  }

  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, timeout)
  if not responses then
    return fail(EXIT_TIMEOUT, 'no answer to textDocument/completion: ' .. tostring(err))
  end
  local response = responses[client_id]
  if not response then
    return fail(EXIT_ERROR, 'the fenjie client did not answer textDocument/completion')
  end
  if response.err then
    return fail(EXIT_ERROR, 'textDocument/completion failed: ' .. vim.inspect(response.err))
  end
  local result = response.result
  local items = {}
  if type(result) == 'table' then
    items = result.items or result
  end
  local labels = {}
  for i, item in ipairs(items) do
    labels[i] = item.label
  end

  local out = {
    nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch),
    uri = uri,
    diagnostics = { count = #diagnostics, codes = codes, lines = lines },
    completion = { line = after, character = params.position.character, labels = labels },
  }
  local file = assert(io.open(env.FENJIE_RESULT, 'w'))
  file:write(vim.json.encode(out))
  file:close()

  -- Shut the server down properly (shutdown, exit) before leaving.
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function()
    return exited ~= nil
  end, 20)
  vim.cmd('qall!')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  fail(EXIT_ERROR, tostring(err))
end
