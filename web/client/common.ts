// On every page: a Copy button on each code block, announced to screen readers.
import { h } from './dom.ts';

const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite' });

export function addCopyButtons(root: ParentNode): void {
  for (const pre of root.querySelectorAll<HTMLPreElement>('pre:not([data-copy])')) {
    const code = pre.querySelector('code') ?? pre;
    pre.dataset.copy = 'yes';
    // A code block that scrolls sideways must be reachable by keyboard to scroll it.
    pre.tabIndex = 0;
    const wrapper = h('div', { class: 'code-block' });
    pre.replaceWith(wrapper);
    const button = h('button', {
      type: 'button',
      class: 'copy',
      'aria-label': 'Copy code',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(code.textContent ?? '');
          button.textContent = 'Copied';
          announcer.textContent = 'Copied to the clipboard';
        } catch {
          button.textContent = 'Select and copy';
          announcer.textContent = 'The browser did not allow copying; select the text and copy it.';
        }
        setTimeout(() => (button.textContent = 'Copy'), 2000);
      },
    }, 'Copy');
    wrapper.append(pre, button);
  }
}

// A form that destroys something asks first (data-confirm holds the question).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset['confirm'] && !window.confirm(form.dataset['confirm'])) event.preventDefault();
});

document.addEventListener('DOMContentLoaded', () => {
  document.body.append(announcer);
  addCopyButtons(document);
});
