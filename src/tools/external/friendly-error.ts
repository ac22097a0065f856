// The text a model sees when a tool fails: "Error executing function X: Name: message", capped in length.

const MAX_ERROR_CHARS = 1000;

export function friendlyError(toolName: string, errorName: string, message: string): string {
  const text = `Error executing function ${toolName}: ${errorName}: ${message}`;
  return text.length > MAX_ERROR_CHARS ? text.slice(0, MAX_ERROR_CHARS) : text;
}
