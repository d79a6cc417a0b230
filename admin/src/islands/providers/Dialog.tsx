// A modal <dialog>: focus moves into it and is trapped by the browser, Escape closes it, and
// focus returns to the button that opened it.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { t } from '../../i18n/index.ts';

interface Props { open: boolean; title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }

export default function Dialog({ open, title, onClose, children, wide }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const id = `pv-dlg-${useId()}`;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
    } else if (!open && d.open) {
      d.close();
      (opener.current as HTMLElement | null)?.focus?.();
    }
  }, [open]);
  return (
    <dialog ref={ref} class={wide ? 'pv-dialog pv-dialog-wide' : 'pv-dialog'} aria-labelledby={id} onClose={onClose} onCancel={onClose}>
      <header class="pv-dialog-head">
        <h2 id={id}>{title}</h2>
        <button type="button" class="button button-quiet pv-ghost" aria-label={t('providers.close')} onClick={onClose}>✕</button>
      </header>
      {open ? children : null}
    </dialog>
  );
}
