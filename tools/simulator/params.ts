import { badRequest } from "./errors.js";

/** A file part of a multipart request, referenced as attach://<name>. */
export interface Upload {
  name: string;
  filename: string;
  bytes: Buffer;
}

/** Method parameters from JSON, form or multipart bodies (where every value arrives as a string). */
export class Params {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly uploads: Map<string, Upload> = new Map(),
  ) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null && this.raw[key] !== "";
  }

  str(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  requireStr(key: string, missing = `${key} is empty`): string {
    const v = this.str(key);
    if (v === undefined || v === "") throw badRequest(missing);
    return v;
  }

  int(key: string): number | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null || v === "") return undefined;
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isFinite(n)) throw badRequest(`field "${key}" must be of type Integer`);
    return Math.trunc(n);
  }

  requireInt(key: string): number {
    const n = this.int(key);
    if (n === undefined) throw badRequest(`${key} is empty`);
    return n;
  }

  bool(key: string): boolean | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null || v === "") return undefined;
    return v === true || v === "true" || v === 1 || v === "1";
  }

  /** Objects arrive JSON-serialised in form bodies and as objects in JSON bodies. */
  json<T>(key: string): T | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") return v as T;
    try {
      return JSON.parse(v) as T;
    } catch {
      throw badRequest(`can't parse ${key} JSON object`);
    }
  }
}
