"""Valid names and link-state checks, read from static/names.json.

scripts/build-widget.mjs writes that file from the JavaScript modules the
widget runs (each demo's parameter table, the race's surfaces and
optimizers), so Python checks exactly what the view accepts.
"""

import json
import math
from pathlib import Path
from urllib.parse import parse_qsl

STATIC = Path(__file__).parent / "static"
_NAMES = json.loads((STATIC / "names.json").read_text(encoding="utf-8"))

DEMOS = tuple(_NAMES["demos"])
SURFACES = tuple(_NAMES["surfaces"])
OPTIMIZERS = tuple(_NAMES["optimizers"])
LANGUAGES = tuple(_NAMES["languages"])


def one_of(what, value, valid):
    """`value` if it is in `valid`, else a ValueError naming the valid ones."""
    if value not in valid:
        raise ValueError(f"unknown {what} {value!r}; valid: {', '.join(valid)}")
    return value


def params_of(demo):
    return _NAMES["demos"][one_of("demo", demo, DEMOS)]["params"]


def _check_value(name, spec, raw):
    kind = spec["type"]
    if kind == "enum":
        one_of(f"value for {name}", raw, spec["values"])
    elif kind == "set":
        for item in filter(None, raw.split(",")):
            one_of(f"item in {name}", item, spec["values"])
    elif kind == "bool":
        one_of(f"value for {name}", raw, ("0", "1", "true", "false"))
    elif kind == "number":
        try:
            x = float(raw)
        except ValueError:
            raise ValueError(f"{name}={raw!r} is not a number") from None
        if not math.isfinite(x):
            raise ValueError(f"{name}={raw!r} is not a finite number")
        if spec.get("integer") and x != int(x):
            raise ValueError(f"{name}={raw!r} must be a whole number")
        low, high = spec.get("min", -math.inf), spec.get("max", math.inf)
        if not low <= x <= high:
            raise ValueError(f"{name}={raw!r} is outside [{low}, {high}]")
    elif kind == "text" and len(raw) > spec.get("maxLength", 500):
        raise ValueError(f"{name} is longer than {spec.get('maxLength', 500)} characters")


def check_state(demo, state):
    """Checks a link's query (the part after '?') against the demo's table."""
    if not isinstance(state, str):
        raise TypeError(f"state must be a string like 'surface=rosenbrock&on=sgd,adam', not {type(state).__name__}")
    table = params_of(demo)
    for name, raw in parse_qsl(state.lstrip("?"), keep_blank_values=True):
        if name == "lang":
            raise ValueError("give the language as lang=..., not inside state")
        spec = table.get(name)
        if spec is None:
            raise ValueError(f"unknown setting {name!r} for demo {demo!r}; valid: {', '.join(table)}")
        _check_value(name, spec, raw)
    return state
