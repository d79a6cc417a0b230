// "← All bindings" and the like: a link back to a screen's list. The arrow is decoration (hidden
// from screen readers) and turns to point right in right-to-left pages.
export default function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <p class="bd-back">
      <a href={href}><span class="bd-back-arrow" aria-hidden="true">←</span> {label}</a>
    </p>
  );
}
