import { z } from 'zod';

export const GenerateRequest = z.object({
  prompt: z
    .string()
    .max(1_000_000)
    .refine((v) => v.trim() !== '', { message: 'prompt cannot be empty or whitespace-only' }),
  system_prompt: z.string().max(1_000_000).nullish(),
  override_model: z.string().max(500).nullish(),
  response_schema: z.record(z.string(), z.unknown()).nullish(),
});
export type GenerateRequest = z.infer<typeof GenerateRequest>;

export const GenerateResponse = z.object({
  content: z.string(),
  model: z.string(),
  usage: z.looseObject({ message_type: z.literal('usage_statistics') }),
});
export type GenerateResponse = z.infer<typeof GenerateResponse>;
