// A modal confirmation (<dialog>): the question, what will happen, Cancel and a confirm button.
// Focus moves into it (to Cancel, the safe choice), Escape cancels, and focus returns to the
// button that opened it. Errors of the confirmed action are shown inside it (`children`).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../i18n/index.ts';

interface Props {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  children?: ComponentChildren;
}

let count = 0;

export default function ConfirmDialog({ open, title, confirmLabel, danger, busy, onConfirm, onClose, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(null);
  const id = useRef(`bd-confirm-${++count}`).current;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
      cancel.current?.focus();
    } else if (!open && d.open) {
      d.close();
      (opener.current as HTMLElement | null)?.focus?.();
    }
  }, [open]);
  return (
    <dialog ref={ref} class="bd-dialog" aria-labelledby={`${id}-title`} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <h2 id={`${id}-title`}>{title}</h2>
      {open ? children : null}
      <div class="bd-actions bd-dialog-actions">
        <button ref={cancel} type="button" class="button button-quiet" onClick={onClose}>{t('bindings.cancel')}</button>
        <button type="button" class={danger ? 'button bd-danger' : 'button'} disabled={busy} onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </dialog>
  );
}
