import { describe, expect, it } from 'vitest';
import { deriveSchemaFromPython, SchemaDerivationError } from './schema-from-python.js';

const SOURCE = `
from typing import List, Literal, Optional

def helper(x):
    return x

def roll_dice(sides: int, count: Optional[int], labels: List[str], mode: Literal["sum", "max"] = "sum",
              verbose: bool = False, weights: list = None, meta: dict = None, pair: tuple[int, str] = (1, "a"),
              agent_state: "AgentState" = None) -> str:
    """Roll some dice.

    Uses a fair random generator.

    Args:
        sides (int): Number of sides
            on each die.
        count: How many dice.
        labels: Names.
        mode: How to combine.
        verbose: Print rolls.
        weights: Weights.
        meta: Extra data.
        pair: A pair.

    Returns:
        str: The result.
    """
    return "4"
`;

describe('deriveSchemaFromPython', () => {
  it('uses the last def, docstring summary, Args descriptions and type hints', () => {
    const s = deriveSchemaFromPython(SOURCE);
    expect(s.name).toBe('roll_dice');
    expect(s.description).toBe('Roll some dice.\n\nUses a fair random generator.');
    expect(s.parameters.required).toEqual(['sides', 'labels']);
    expect(s.parameters.properties).toEqual({
      sides: { type: 'integer', description: 'Number of sides on each die.' },
      count: { type: 'integer', description: 'How many dice.' },
      labels: { type: 'array', items: { type: 'string' }, description: 'Names.' },
      mode: { type: 'string', enum: ['sum', 'max'], description: 'How to combine.' },
      verbose: { type: 'boolean', description: 'Print rolls.' },
      weights: { type: 'array', items: { type: 'string' }, description: 'Weights.' },
      meta: { type: 'object', description: 'Extra data.' },
      pair: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], minItems: 2, maxItems: 2, description: 'A pair.' },
    });
  });

  it('treats `X | None` as optional and float as number', () => {
    const s = deriveSchemaFromPython('async def f(x: float | None):\n    """Do.\n\n    Args:\n        x: A number.\n    """\n');
    expect(s.parameters).toEqual({ type: 'object', properties: { x: { type: 'number', description: 'A number.' } }, required: [] });
  });

  it('rejects sources it cannot describe, naming the problem', () => {
    const bad = (src: string, msg: RegExp) => {
      expect(() => deriveSchemaFromPython(src)).toThrow(SchemaDerivationError);
      expect(() => deriveSchemaFromPython(src)).toThrow(msg);
    };
    bad('x = 1', /No function/);
    bad('def f(a: int):\n    return a', /no docstring/);
    bad('def f(a):\n    """Doc.\n\n    Args:\n        a: A.\n    """', /'a' in function 'f' lacks a type annotation/);
    bad('def f(a: int):\n    """Doc."""', /'a' in function 'f' lacks a description/);
    bad('def f(a: Union[int, str]):\n    """Doc.\n\n    Args:\n        a: A.\n    """', /unions other than Optional/);
  });
});
