/** Calls to the console's API, every one with the Mini App's initData; the server decides what the caller may see. */
export class ApiError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export function createClient(initData: string) {
  const headers = { authorization: `tma ${initData}` };
  return {
    async get<T>(path: string): Promise<T> {
      const res = await fetch(`api/${path}`, { headers });
      if (!res.ok) throw new ApiError(res.status);
      return (await res.json()) as T;
    },
    async post<T>(path: string, body: Record<string, unknown>): Promise<{ status: number; body: T }> {
      const res = await fetch(`api/${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
      if (res.status === 401 || res.status === 403) throw new ApiError(res.status);
      return { status: res.status, body: (await res.json()) as T };
    },
    /** A file the API sends (XLSX): fetched with the header, then saved through a blob link. */
    async download(path: string): Promise<void> {
      const res = await fetch(`api/${path}`, { headers });
      if (!res.ok) throw new ApiError(res.status);
      const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "sanxue.xlsx";
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}

export type Client = ReturnType<typeof createClient>;

export async function loadStrings(locale: string): Promise<Record<string, string>> {
  const res = await fetch(`api/strings?locale=${encodeURIComponent(locale)}`);
  return res.ok ? ((await res.json()) as Record<string, string>) : {};
}
