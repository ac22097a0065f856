// Per-agent compaction settings (Letta's CompactionSettings), with request-level overrides from /summarize.
// The `self_*` modes reuse the agent's own model in Letta for prompt-cache hits; here they behave like their plain
// counterparts (the agent's model is already the default summarizer).
import { z } from 'zod';

export const CompactionSettingsBody = z.looseObject({
  mode: z.enum(['all', 'sliding_window', 'self_compact_all', 'self_compact_sliding_window']).nullish(),
  model: z.string().nullish(),
  model_settings: z.record(z.string(), z.unknown()).nullish(),
  prompt: z.string().nullish(),
  prompt_acknowledgement: z.boolean().nullish(),
  sliding_window_percentage: z.number().min(0).max(1).nullish(),
  clip_chars: z.number().int().positive().nullish(),
});
export type CompactionSettingsBody = z.infer<typeof CompactionSettingsBody>;

export type CompactionSettings = {
  mode: 'all' | 'sliding_window';
  /** Summarizer model handle; null = the agent's own model. */
  model: string | null;
  prompt: string | null;
  slidingWindowPercentage: number;
  clipChars: number;
};

export const DEFAULT_SETTINGS: CompactionSettings = {
  mode: 'sliding_window',
  model: null,
  prompt: null,
  slidingWindowPercentage: 0.3,
  clipChars: 50_000,
};

function parsed(raw: unknown): CompactionSettingsBody {
  const r = CompactionSettingsBody.safeParse(raw ?? {});
  return r.success ? r.data : {};
}

/** Agent settings, then the fields the request sets explicitly; a new mode without a prompt drops the old prompt. */
export function resolveCompactionSettings(agentSettings: unknown, override?: unknown): CompactionSettings {
  const a = parsed(agentSettings);
  const o = parsed(override);
  const modeOf = (m: CompactionSettingsBody['mode']) => (m === 'all' || m === 'self_compact_all' ? 'all' : m ? 'sliding_window' : null);
  const mode = modeOf(o.mode) ?? modeOf(a.mode) ?? DEFAULT_SETTINGS.mode;
  const modeChanged = o.mode != null && modeOf(o.mode) !== (modeOf(a.mode) ?? DEFAULT_SETTINGS.mode);
  return {
    mode,
    model: o.model ?? a.model ?? null,
    prompt: o.prompt ?? (modeChanged ? null : (a.prompt ?? null)),
    slidingWindowPercentage: o.sliding_window_percentage ?? a.sliding_window_percentage ?? DEFAULT_SETTINGS.slidingWindowPercentage,
    clipChars: o.clip_chars ?? a.clip_chars ?? DEFAULT_SETTINGS.clipChars,
  };
}
