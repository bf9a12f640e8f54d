"""The widget classes: any demo with any link state, and the race with values back."""

import math
from urllib.parse import parse_qsl, urlencode

import anywidget
import traitlets

from . import names


class Demo(anywidget.AnyWidget):
    """One trainlab demo in the output cell, set up from a shared link's state."""

    # A small loader (anywidget gives a model's module 2 s to load); the app
    # itself, wasm and data inlined (~4 MB), travels in _bundle, and the page
    # evaluates it once however many views it shows (scripts/build-widget.mjs).
    _esm = names.STATIC / "widget.js"
    _bundle = traitlets.Unicode((names.STATIC / "bundle.js").read_text(encoding="utf-8")).tag(sync=True)
    demo = traitlets.Unicode("race").tag(sync=True)
    # The query of a shared link; the view writes it back as the user changes settings.
    state = traitlets.Unicode("").tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)

    @traitlets.validate("demo")
    def _valid_demo(self, proposal):
        return names.one_of("demo", proposal["value"], names.DEMOS)

    @traitlets.validate("lang")
    def _valid_lang(self, proposal):
        return names.one_of("language", proposal["value"], names.LANGUAGES)

    @traitlets.validate("state")
    def _valid_state(self, proposal):
        return names.check_state(self.demo, proposal["value"])


def demo(name, state="", lang="en"):
    """Shows demo `name` as a link with query `state` would (e.g. "surface=saddle&on=sgd,adam")."""
    names.one_of("demo", name, names.DEMOS)
    return Demo(demo=name, state=state, lang=lang)


def _numbers(what, values):
    """A flat list of finite floats from a list, tuple or 1-D array."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{what} must be a sequence of numbers (a list or a 1-D array)")
    shape = getattr(values, "shape", None)
    if shape is not None and len(shape) != 1:
        raise ValueError(f"{what} must be 1-D; got shape {tuple(shape)}")
    out = []
    for k, v in enumerate(values):
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise TypeError(f"{what}[{k}] = {v!r} is not a number") from None
        if not math.isfinite(x):
            raise ValueError(f"{what}[{k}] = {x} is not finite")
        out.append(x)
    return out


class Race(Demo):
    """The optimizer race; after the view runs it, its numbers come back here.

    Read `losses`, `paths`, `status` and `steps` in a cell after the one that
    called `run` (the view answers between cells; see `pending`).
    """

    surface = traitlets.Unicode("quadratic")
    condition = traitlets.Float(None, allow_none=True)
    optimizers = traitlets.List(traitlets.Unicode())
    # [{label, x: [...], y: [...]}]: the student's own trajectories.
    user_paths = traitlets.List().tag(sync=True)
    # Written by the view: {id: [loss at step 0, 1, ...]}, {id: [xs, ys]},
    # {id: {state, steps, loss, ...}}, the furthest racer's step.
    losses = traitlets.Dict().tag(sync=True)
    paths = traitlets.Dict().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)
    steps = traitlets.Int(0).tag(sync=True)
    # The id of the last run request the view answered.
    answered = traitlets.Int(0).tag(sync=True)

    def __init__(self, surface="quadratic", condition=None, optimizers=("sgd", "momentum", "adam"), lang="en", **kwargs):
        self._requested = 0
        self._callbacks = []
        self._syncing = False
        super().__init__(demo="race", surface=surface, condition=condition, optimizers=list(optimizers), lang=lang, **kwargs)
        self.state = self._state()
        self.observe(self._settings_changed, names=["surface", "condition", "optimizers"])
        self.observe(self._answer, names=["answered"])

    @traitlets.validate("surface")
    def _valid_surface(self, proposal):
        return names.one_of("surface", proposal["value"], names.SURFACES)

    @traitlets.validate("optimizers")
    def _valid_optimizers(self, proposal):
        chosen = list(proposal["value"])
        if not chosen:
            raise ValueError(f"name at least one optimizer; valid: {', '.join(names.OPTIMIZERS)}")
        for name in chosen:
            names.one_of("optimizer", name, names.OPTIMIZERS)
        return chosen

    @traitlets.validate("condition")
    def _valid_condition(self, proposal):
        value = proposal["value"]
        if value is not None:
            spec = names.params_of("race")["cond"]
            if not (isinstance(value, (int, float)) and spec["min"] <= value <= spec["max"]):
                raise ValueError(f"condition must be a number from {spec['min']} to {spec['max']}; got {value!r}")
        return value

    def _state(self):
        query = {"surface": self.surface}
        if self.condition is not None:
            query["cond"] = repr(float(self.condition))
        # The link's own order: the demo's list of racers.
        query["on"] = ",".join(o for o in names.OPTIMIZERS if o in self.optimizers)
        return urlencode(query, safe=",")

    def _settings_changed(self, change):
        if not self._syncing:
            self.state = self._state()

    @traitlets.observe("state")
    def _state_changed(self, change):
        """Settings changed in the view come back into surface, condition, optimizers."""
        if self._syncing:
            return
        table = names.params_of("race")
        query = dict(parse_qsl(change["new"]))
        surface = query.get("surface", table["surface"]["default"])
        on = [o for o in query.get("on", ",".join(table["on"]["default"])).split(",") if o]
        cond = query.get("cond")
        # A typed surface or no racer: the view shows it; these keep their last values.
        if surface not in names.SURFACES or not on:
            return
        self._syncing = True
        try:
            with self.hold_trait_notifications():
                self.surface = surface
                self.condition = float(cond) if cond else None
                self.optimizers = on
        finally:
            self._syncing = False

    def add_path(self, xs, ys, label="my path"):
        """Races a trajectory of your own (point k drawn at step k) beside the reference racers."""
        xs, ys = _numbers("xs", xs), _numbers("ys", ys)
        if len(xs) != len(ys):
            raise ValueError(f"xs and ys differ in length: {len(xs)} and {len(ys)}")
        if not xs:
            raise ValueError("a path needs at least one point")
        if not isinstance(label, str) or not label.strip():
            raise ValueError("label must be a non-empty string")
        if label in names.OPTIMIZERS:
            raise ValueError(f"label {label!r} is an optimizer's name; choose another")
        kept = [p for p in self.user_paths if p["label"] != label]
        self.user_paths = [*kept, {"label": label, "x": xs, "y": ys}]

    def run(self, steps=100):
        """Asks the view to advance every racer `steps` steps; returns None at once.

        The view answers between cells: `losses`, `paths`, `status` and
        `steps` hold the new values from the next cell on (`pending` is True
        until then; `on_result` calls back when they arrive). The race must
        be shown in a cell for anything to run it.
        """
        if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= 1_000_000:
            raise ValueError(f"steps must be a whole number from 1 to 1000000; got {steps!r}")
        self._requested += 1
        self.send({"type": "run", "steps": steps, "id": self._requested})

    @property
    def pending(self):
        """True while a run request has not been answered by the view."""
        return self.answered < self._requested

    def on_result(self, callback):
        """Calls `callback(race)` each time the view answers a run request."""
        self._callbacks.append(callback)

    def _answer(self, change):
        for callback in self._callbacks:
            callback(self)
