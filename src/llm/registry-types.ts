// Types and errors of the model registry (handle → provider + model).
import { BadRequestError, NotFoundError } from '../errors.js';
import type { Provider } from './types.js';

export type ResolvedModel = {
  provider: Provider;
  providerName: string;
  providerType: string;
  model: string;
  handle: string;
  /** Window a new agent gets (the model's, capped at 128k as Letta does). */
  contextWindow: number;
  maxContextWindow: number;
  endpointType: string;
  endpoint: string;
  maxOutputTokens?: number;
};

export type ResolvedEmbedding = {
  providerName: string;
  providerType: string;
  model: string;
  handle: string;
  dim: number;
  endpointType: string;
  endpoint: string;
  apiKey?: string;
};

export class InvalidHandleError extends BadRequestError {
  constructor(handle: string) {
    super(`Invalid model handle '${handle}': the model handle should be in the format provider/model-name`);
  }
}

export class UnknownProviderError extends NotFoundError {
  constructor(handle: string, provider: string) {
    super(`Handle ${handle} not found: no provider named '${provider}' is configured`);
  }
}

/** Splits on the FIRST slash, so `openrouter/meta/llama` keeps `meta/llama` as the model. */
export function splitHandle(handle: string): { providerName: string; model: string } {
  const i = handle.indexOf('/');
  if (i <= 0 || i === handle.length - 1) throw new InvalidHandleError(handle);
  return { providerName: handle.slice(0, i), model: handle.slice(i + 1) };
}
