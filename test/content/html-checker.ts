/** A small checker for Telegram HTML in tests: only allowed tags, balanced and properly nested. */
const ALLOWED = new Set(["b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"]);

export function checkTelegramHtml(html: string): string | undefined {
  const stack: string[] = [];
  const withoutTags = html.replace(/<(\/?)([a-z-]+)([^>]*)>/g, (_, slash: string, name: string, attrs: string) => {
    if (!ALLOWED.has(name)) throw new Error(`tag <${name}> is not allowed`);
    if (slash) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? "nothing"}>`);
    } else {
      if (name === "a" && !/^ href="[^"<>]*"$/.test(attrs)) throw new Error(`bad link attributes ${attrs}`);
      stack.push(name);
    }
    return "";
  });
  if (stack.length > 0) return `unclosed <${stack.join("><")}>`;
  if (/[<>]/.test(withoutTags)) return "a bare < or > in the text";
  if (/&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);)/i.test(withoutTags)) return "a bare & in the text";
  return undefined;
}

export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}
