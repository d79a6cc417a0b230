// The ordered targets of a binding (first = tried first). Reorder by dragging a row's handle
// (pointer events: mouse, pen and touch), by keyboard on the handle (Arrow Up/Down, Home, End)
// or Alt+Arrow Up/Down anywhere in the row, or with the Move up/down buttons. Each move is
// announced in an aria-live region, and focus stays on the control that moved the row (`control`:
// a selector inside the row; a disabled button hands focus to the handle, a removed row to the
// next one).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { dragShift, dropIndex, keyMove, move, newRow, type ProviderChoice, type TargetRow as Row } from '../../lib/bindings.ts';
import TargetRow from './TargetRow.tsx';

interface Props { rows: Row[]; onChange: (rows: Row[]) => void; providers: ProviderChoice[]; environment: string; protocol: string; weighted: boolean; flagged: Map<string, string[]> }
interface Drag { from: number; to: number; startY: number; y: number; tops: number[]; mids: number[] }

export default function TargetList({ rows, onChange, providers, environment, protocol, weighted, flagged }: Props) {
  const list = useRef<HTMLOListElement>(null);
  const add = useRef<HTMLButtonElement>(null);
  const focus = useRef<{ uid: number; control: string } | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [said, say] = useState('');

  useLayoutEffect(() => {
    if (!focus.current) return;
    const row = list.current?.querySelector(`[data-uid="${focus.current.uid}"]`);
    const el = row?.querySelector<HTMLButtonElement>(focus.current.control);
    (el && !el.disabled ? el : row?.querySelector<HTMLElement>('.bd-handle') ?? add.current)?.focus();
    focus.current = null;
  });

  const moveRow = (from: number, to: number, control = '.bd-handle') => {
    const row = rows[from];
    onChange(move(rows, from, to));
    focus.current = { uid: row.uid, control };
    say(t('bindings.targets.moved', { provider: row.provider || t('bindings.targets.unnamed'), position: to + 1, total: rows.length }));
  };
  const startDrag = (from: number, e: PointerEvent) => {
    if (e.button !== 0 || !list.current) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    const rects = [...list.current.children].map((el) => el.getBoundingClientRect());
    setDrag({ from, to: from, startY: e.clientY, y: e.clientY, tops: rects.map((r) => r.top), mids: rects.map((r) => r.top + r.height / 2) });
  };
  const dragTo = (e: PointerEvent) => drag && setDrag({ ...drag, y: e.clientY, to: dropIndex(drag.mids, drag.from, e.clientY) });
  const endDrag = (commit: boolean) => {
    if (drag && commit && drag.to !== drag.from) moveRow(drag.from, drag.to);
    setDrag(null);
  };
  /** The distance rows shift by while another is dragged: the pitch between neighbours. */
  const pitch = drag && drag.tops.length > 1 ? Math.abs(drag.tops[drag.from === 0 ? 1 : drag.from] - drag.tops[drag.from === 0 ? 0 : drag.from - 1]) : 0;

  return (
    <fieldset class="bd-fieldset">
      <legend>{t('bindings.targets')}</legend>
      <p id="bd-targets-help" class="field-help">{t('bindings.targets.help')}</p>
      {rows.length === 0 ? <p class="bd-empty">{t('bindings.targets.none')}</p> : null}
      <ol ref={list} class={drag ? 'bd-targets bd-dragging-list' : 'bd-targets'} aria-label={t('bindings.targets.order')}>
        {rows.map((row, i) => (
          <TargetRow
            key={row.uid} row={row} index={i} total={rows.length} providers={providers} environment={environment} protocol={protocol} weighted={weighted} issues={flagged.get(row.provider) ?? []}
            offset={!drag ? 0 : i === drag.from ? drag.y - drag.startY : dragShift(i, drag.from, drag.to) * pitch} dragging={drag?.from === i}
            onChange={(r) => onChange(rows.map((x) => (x.uid === r.uid ? r : x)))}
            onRemove={() => {
              // Focus goes to the next row (or the previous one, or Add target when none is left).
              focus.current = { uid: (rows[i + 1] ?? rows[i - 1])?.uid ?? -1, control: '.bd-handle' };
              onChange(rows.filter((x) => x.uid !== row.uid));
              say(t('bindings.targets.removed', { provider: row.provider || t('bindings.targets.unnamed') }));
            }}
            onMove={(to, control) => moveRow(i, to, control)}
            onKey={(key) => keyMove(key, i, rows.length)}
            handle={{ onPointerDown: (e: PointerEvent) => startDrag(i, e), onPointerMove: dragTo, onPointerUp: () => endDrag(true), onPointerCancel: () => endDrag(false) }}
          />
        ))}
      </ol>
      <button ref={add} type="button" class="button button-quiet" onClick={() => { const row = newRow(); focus.current = { uid: row.uid, control: '.bd-provider' }; onChange([...rows, row]); }}>+ {t('bindings.targets.add')}</button>
      <p class="sr-only" aria-live="polite" role="status" data-testid="bd-announce">{said}</p>
    </fieldset>
  );
}
