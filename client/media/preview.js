// The script of the fenjie preview's webview page (plain browser JavaScript, loaded by the
// page's <script nonce src>, not bundled). The page shell comes from
// client/src/previewMessages.ts; the content (#fj-content) is the server's rendering.
//
// It never evaluates anything it receives and never creates script elements: content updates
// replace the markup of #fj-content, which the page's CSP keeps inert (no inline scripts or
// event handlers run). Messages to the extension are checked there (parseWebviewMessage).
/* global acquireVsCodeApi */
(function () {
  'use strict';

  const vscode = acquireVsCodeApi();
  const root = document.documentElement;
  const body = document.body;
  const content = document.getElementById('fj-content');
  const tablesButton = document.getElementById('fj-tables');
  const byUnitButton = document.getElementById('fj-by-unit');
  const paperButton = document.getElementById('fj-paper');
  if (!content) return;

  /** A 0-based line number, or undefined. */
  function lineOf(value) {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  }

  // The extension decides the view; the page mirrors it in its state, with the scroll position,
  // so that a page rebuilt (after being hidden, or for a new stylesheet) opens where it was.
  const saved = vscode.getState() || {};
  let byUnit = body.dataset.byUnit === 'true';
  let paper = body.dataset.paper === 'true';
  let line = lineOf(body.dataset.highlight);

  function saveState() {
    vscode.setState({ byUnit: byUnit, paper: paper, scrollX: window.scrollX, scrollY: window.scrollY });
  }

  function showByUnit(on) {
    byUnit = on;
    body.dataset.byUnit = String(on);
    if (tablesButton) tablesButton.setAttribute('aria-pressed', String(!on));
    if (byUnitButton) byUnitButton.setAttribute('aria-pressed', String(on));
    saveState();
  }

  function showPaper(on) {
    paper = on;
    body.dataset.paper = String(on);
    root.classList.toggle('paper', on);
    if (paperButton) paperButton.setAttribute('aria-pressed', String(on));
    saveState();
  }

  /** Marks the task that contains `line`: the row with the greatest data-line ≤ line. */
  function highlight(scroll) {
    let best = null;
    let bestLine = -1;
    for (const row of content.querySelectorAll('tr[data-line]')) {
      const n = lineOf(row.getAttribute('data-line'));
      if (n !== undefined && line !== undefined && n <= line && n > bestLine) {
        best = row;
        bestLine = n;
      }
    }
    for (const row of content.querySelectorAll('tr.active')) {
      if (row !== best) row.classList.remove('active');
    }
    if (!best) return;
    best.classList.add('active');
    if (scroll) best.scrollIntoView({ block: 'nearest' });
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (typeof m !== 'object' || m === null) return;
    switch (m.type) {
      case 'update':
        if (typeof m.html !== 'string') return;
        // The server's markup, which escapes all document content; the CSP keeps it inert.
        content.innerHTML = m.html;
        showByUnit(m.byUnit === true);
        highlight(false);
        return;
      case 'highlight':
        if (lineOf(m.line) === undefined) return;
        line = lineOf(m.line);
        highlight(true);
        return;
      case 'paper':
        showPaper(m.on === true);
        return;
    }
  });

  content.addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const row = target.closest('tr[data-line]');
    if (!row || !content.contains(row)) return;
    // A click that ends a text selection is for copying, not for going to the source.
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed && selection.toString().trim() !== '') return;
    const n = lineOf(row.getAttribute('data-line'));
    if (n !== undefined) vscode.postMessage({ type: 'reveal', line: n });
  });

  if (tablesButton) {
    tablesButton.addEventListener('click', () => {
      if (byUnit) vscode.postMessage({ type: 'toggleByUnit' });
    });
  }
  if (byUnitButton) {
    byUnitButton.addEventListener('click', () => {
      if (!byUnit) vscode.postMessage({ type: 'toggleByUnit' });
    });
  }
  if (paperButton) {
    paperButton.addEventListener('click', () => vscode.postMessage({ type: 'togglePaper' }));
  }

  let scrollPending = false;
  window.addEventListener(
    'scroll',
    () => {
      if (scrollPending) return;
      scrollPending = true;
      window.requestAnimationFrame(() => {
        scrollPending = false;
        saveState();
      });
    },
    { passive: true },
  );

  // A rebuilt page opens where the last one was; a new one at the cursor's task.
  const restored = typeof saved.scrollY === 'number';
  if (restored) window.scrollTo(typeof saved.scrollX === 'number' ? saved.scrollX : 0, saved.scrollY);
  highlight(!restored);
  saveState();
})();
