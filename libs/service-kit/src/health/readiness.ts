import { Injectable } from '@nestjs/common';

export interface CheckResult {
  ok: boolean;
  detail?: unknown;
}

export interface ReadinessCheck {
  name: string;
  check(): Promise<CheckResult>;
}

/**
 * What `/health/ready` asks. Modules add their own checks when they start (database, relay,
 * consumer), so readiness covers exactly what the app runs.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  async run(timeoutMs = 2_000): Promise<{ ok: boolean; checks: Record<string, CheckResult> }> {
    const results = await Promise.all(this.checks.map(async (c) => [c.name, await withDeadline(c.check(), timeoutMs)] as const));
    return { ok: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
  }
}

async function withDeadline(check: Promise<CheckResult>, ms: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([check.catch((error: unknown) => ({ ok: false, detail: String(error) })), late]);
  } finally {
    clearTimeout(timer);
  }
}
