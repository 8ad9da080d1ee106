import { validateDetailed } from "node-cron";

const RANGES: Record<string, string> = {
  second: "second must be 0-59",
  minute: "minute must be 0-59",
  hour: "hour must be 0-23",
  dayOfMonth: "day of month must be 1-31",
  month: "month must be 1-12 or jan-dec",
  dayOfWeek: "weekday must be 0-7 or sun-sat",
};

const FIX = "use five fields (minute hour day month weekday) or six with seconds first";

/** Returns why a cron expression is unusable (with the fix), or undefined when it is fine. */
export function cronProblem(expression: string): string | undefined {
  const shown = JSON.stringify(expression);
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5 && fields.length !== 6) {
    return `${shown} is not a valid cron expression (it has ${fields.length} field${fields.length === 1 ? "" : "s"}); ${FIX}`;
  }
  let result: ReturnType<typeof validateDetailed>;
  try {
    result = validateDetailed(expression);
  } catch {
    return `${shown} is not a valid cron expression; ${FIX}`;
  }
  if (result.valid) return undefined;
  const error = result.errors[0];
  const reason = error ? (RANGES[error.field] ?? `${JSON.stringify(error.value)} is not allowed for ${error.field}`) : "";
  return `${shown} is not a valid cron expression${reason ? ` (${reason})` : ""}; ${FIX}`;
}
