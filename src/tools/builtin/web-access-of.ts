// The loop hands the web tools a WebAccess through ToolContext; without one the tool fails politely.
import { ToolInputError, type ToolContext } from '../tool.js';
import type { WebAccess } from '../web/web-access.js';

export function webAccessOf(ctx: ToolContext, tool: string): WebAccess {
  if (!ctx.web) throw new ToolInputError(`${tool} is not available on this server.`);
  return ctx.web;
}
