/** The page's path under PUBLIC_URL. */
export const CONSOLE_PATH = "/console/";

/** The console page's public URL (what a `web_app` button or the menu button opens). */
export function consoleUrl(publicUrl: string): string {
  return `${publicUrl}${CONSOLE_PATH}`;
}
