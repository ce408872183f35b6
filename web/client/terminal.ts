// xterm.js for the terminal tab, a bundle of its own (about 80 KiB gzip) that the exercise
// page loads only when a learner opens the tab.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';

export interface Screen {
  write(data: Uint8Array): void;
  reset(): void;
  focus(): void;
  /** Fits the terminal to its box; returns the size to tell the shell. */
  fit(): { cols: number; rows: number };
}

/** What xterm gets instead of <style>: inert, so the browser neither applies nor refuses it. */
const STYLE_STAND_IN = 'kubelab-xterm-style';

/**
 * xterm's renderer writes its sizes and colours into <style> elements, which the page's
 * Content-Security-Policy (style-src 'self') refuses, with a console error each time.
 * It only ever sets their textContent, so hand it inert stand-in elements and carry their
 * text into constructed stylesheets: CSSOM is not inline markup, no 'unsafe-inline' needed.
 */
function styleThroughCssom(root: HTMLElement): void {
  const create = document.createElement.bind(document);
  document.createElement = ((tag: string, options?: ElementCreationOptions) =>
    create(tag.toLowerCase() === 'style' ? STYLE_STAND_IN : tag, options)) as typeof document.createElement;
  const sheets = new Map<Element, CSSStyleSheet>();
  const sync = () => {
    for (const el of root.querySelectorAll(STYLE_STAND_IN)) {
      let sheet = sheets.get(el);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(el, sheet);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      sheet.replaceSync(el.textContent ?? '');
    }
  };
  new MutationObserver(sync).observe(root, { subtree: true, childList: true, characterData: true });
}

export function createScreen(box: HTMLElement, onInput: (data: string) => void): Screen {
  const term = new Terminal({
    cursorBlink: true,
    fontSize: 14,
    scrollback: 2000,
    // Output also goes to an accessible live region for screen readers.
    screenReaderMode: true,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  styleThroughCssom(box);
  term.open(box);
  term.onData(onInput);
  return {
    write: (data) => term.write(data),
    reset: () => term.reset(),
    focus: () => term.focus(),
    fit: () => {
      fit.fit();
      return { cols: term.cols, rows: term.rows };
    },
  };
}
