"""The command line as people type it, made into what click can parse.

Two things people type that click would misread, fixed before it sees them:

- Coordinates pasted from a map, `near 40.7128, -74.0060`: click takes `-74.0060` for
  an option ("No such option: -7"). When a word that starts with a minus and a digit
  stands where a place goes (not as an option's value), the words of the place are
  moved after a `--`, exactly as typed, so click reads them as words.
- A radius with its unit as a word of its own, `--radius 100 mi`: the unit is joined to
  the value (`--radius "100 mi"`) instead of becoming part of the place ("Denver mi").

Only the commands that take a place are touched, and only when needed; anything after
the user's own `--` is left as it is.
"""

import re
from collections.abc import Sequence

# The options of each place-taking command that take a value (a test checks them
# against the commands themselves, so a new option can't be missed).
_NEAR_VALUES = (
    "--radius -r --units -u --limit -n --condition -c --route --max-age --data --map "
    "--format -f --fields --payment --language --age"
)
VALUE_OPTIONS: dict[str, frozenset[str]] = {
    "near": frozenset(_NEAR_VALUES.split()),
    "geocode": frozenset(),
    "config set": frozenset(),
}
RADIUS = ("--radius", "-r")
UNIT_WORDS = frozenset(
    {"mi", "mile", "miles", "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres"}
)
_NEGATIVE = re.compile(r"-[\d.]")  # -74.0060, -.5: a number, never one of our options


def prepare(args: Sequence[str]) -> list[str]:
    """`args` with negative coordinates and a radius's unit made parseable."""
    args = list(args)
    plain = [i for i, a in enumerate(args) if not a.startswith("-")]
    if not plain:
        return args
    command, start = args[plain[0]], plain[0] + 1
    if command == "config" and len(plain) > 1 and args[plain[1]] == "set":
        command, start = "config set", plain[1] + 1
    if command not in VALUE_OPTIONS:
        return args
    head, rest, tail = args[:start], args[start:], []
    if "--" in rest:
        cut = rest.index("--")
        rest, tail = rest[:cut], rest[cut:]
    tokens = _tokens(rest, VALUE_OPTIONS[command])
    if not any(word and _NEGATIVE.match(t) for t, word in tokens):
        return [*head, *(t for t, _ in tokens), *tail]
    options = [t for t, word in tokens if not word]
    words = [t for t, word in tokens if word]
    return [*head, *options, "--", *words, *tail[1:]]


def _tokens(tokens: list[str], value_options: frozenset[str]) -> list[tuple[str, bool]]:
    """Each token in order, and whether it is a word (not an option or an option's value);
    a radius's separate unit word joined to its value."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not token.startswith("-") or len(token) == 1 or _NEGATIVE.match(token):
            out.append((token, True))
            continue
        radius = _radius_with_value(token)
        if token in value_options and i < len(tokens):
            out.append((token, False))
            radius, token = token in RADIUS, tokens[i]
            i += 1
        if radius and i < len(tokens) and _is_unit(tokens[i]):
            token = f"{token} {tokens[i]}"
            i += 1
        out.append((token, False))
    return out


def _radius_with_value(token: str) -> bool:
    """`--radius=100` or `-r100`: the value is in the token itself."""
    return token.startswith("--radius=") or (token.startswith("-r") and len(token) > 2)


def _is_unit(word: str) -> bool:
    return word.lower().rstrip(".") in UNIT_WORDS
