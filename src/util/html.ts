/** Escapes text for HTML element content and quoted attribute values. */
export function escape_html(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
