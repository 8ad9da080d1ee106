export function buildConsolePage(outdir?: string): Promise<{ js: string; css: string }>;
