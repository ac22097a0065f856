// The Anthropic SDK, imported with the first call to an Anthropic provider rather than at start (it is one of the
// largest modules the server would otherwise load, and many servers never call Anthropic).
import type Anthropic from '@anthropic-ai/sdk';

let loaded: typeof Anthropic | undefined;

export async function anthropicSdk(): Promise<typeof Anthropic> {
  loaded ??= (await import('@anthropic-ai/sdk')).default;
  return loaded;
}

/** The SDK when some call has loaded it; an error can only be one of its classes if it is loaded. */
export function loadedAnthropicSdk(): typeof Anthropic | undefined {
  return loaded;
}
