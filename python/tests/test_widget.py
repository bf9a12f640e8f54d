"""The Python side of the notebook widget: validation, state, add_path, run."""

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import traitlets

import trainlab

ROOT = Path(__file__).resolve().parents[2]


def js_value(expression, module):
    """Evaluates `expression` over a module of www/ in Node (the names' source)."""
    script = f"import * as m from {json.dumps((ROOT / module).as_uri())}; console.log(JSON.stringify({expression}));"
    out = subprocess.run(["node", "--input-type=module", "-e", script], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def test_names_are_the_javascript_ones():
    assert list(trainlab.SURFACES) == [s for s in js_value("m.SURFACES", "www/ui/race-view.js") if s != "custom"]
    assert list(trainlab.OPTIMIZERS) == js_value("m.spec.slots.map((s) => s.id)", "www/demos/race.js")
    files = re.findall(r'import \* as \w+ from "\./demos/([\w-]+)\.js"', (ROOT / "www/app.js").read_text())
    assert len(files) >= 7
    assert list(trainlab.DEMOS) == [js_value("m.id", f"www/demos/{file}.js") for file in files]


def test_unknown_surface_names_every_valid_one():
    with pytest.raises(ValueError) as error:
        trainlab.Race(surface="rosenbrok")
    message = str(error.value)
    assert "rosenbrok" in message
    for surface in trainlab.SURFACES:
        assert surface in message


def test_unknown_optimizer_names_every_valid_one():
    with pytest.raises(ValueError) as error:
        trainlab.Race(optimizers=["sgd", "adma"])
    assert "'adma'" in str(error.value)
    for name in trainlab.OPTIMIZERS:
        assert name in str(error.value)
    with pytest.raises(ValueError, match="at least one optimizer"):
        trainlab.Race(optimizers=[])


def test_a_bad_surface_set_later_is_refused_and_the_old_one_kept():
    race = trainlab.Race(surface="saddle", optimizers=["sgd"])
    with pytest.raises(ValueError, match="unknown surface 'moon'"):
        race.surface = "moon"
    assert race.surface == "saddle"
    assert race.state == "surface=saddle&on=sgd"


@pytest.mark.parametrize("bad", [0.5, 1001, float("nan"), float("inf")])
def test_condition_outside_the_sliders_range(bad):
    with pytest.raises(ValueError, match="condition must be a number from 1 to 1000"):
        trainlab.Race(condition=bad)


def test_condition_must_be_a_number():
    with pytest.raises(traitlets.TraitError, match="condition"):
        trainlab.Race(condition="50")


def test_state_serialisation_follows_the_settings():
    race = trainlab.Race(surface="quadratic", condition=50, optimizers=["momentum", "sgd"])
    # The link's order is the demo's list of racers, whatever order they were given in.
    assert race.state == "surface=quadratic&cond=50.0&on=sgd,momentum"
    race.surface = "rosenbrock"
    race.optimizers = ["adam"]
    race.condition = None
    assert race.state == "surface=rosenbrock&on=adam"
    synced = race.get_state()
    assert synced["demo"] == "race" and synced["state"] == race.state and synced["lang"] == "en"
    for key in ["losses", "paths", "status", "steps", "answered", "user_paths"]:
        assert key in synced
    # Settings that are not the view's are not sent.
    assert "surface" not in synced and "optimizers" not in synced


def test_settings_changed_in_the_view_come_back():
    race = trainlab.Race(surface="saddle", condition=None, optimizers=["sgd"])
    # What the view writes: its own spelling, defaults (surface=quadratic) left out.
    race.state = "cond=20&on=sgd%2Cadam"
    assert (race.surface, race.condition, race.optimizers) == ("quadratic", 20.0, ["sgd", "adam"])
    assert race.state == "cond=20&on=sgd%2Cadam"
    # A typed surface has no name here: the last named settings stay.
    race.state = "surface=custom&expr=x%5E2&on=adam"
    assert (race.surface, race.condition, race.optimizers) == ("quadratic", 20.0, ["sgd", "adam"])


def test_demo_takes_any_demo_and_link_state():
    widget = trainlab.demo("race", state="surface=rosenbrock&on=sgd,momentum,adam", lang="ko")
    assert (widget.demo, widget.state, widget.lang) == ("race", "surface=rosenbrock&on=sgd,momentum,adam", "ko")
    for name in trainlab.DEMOS:
        assert trainlab.demo(name).demo == name
    assert trainlab.demo("network", state="data=moons&hidden=16").state == "data=moons&hidden=16"


@pytest.mark.parametrize("name, state, expected", [
    ("racer", "", "unknown demo 'racer'; valid: race, schedules"),
    ("race", "surfce=saddle", "unknown setting 'surfce' for demo 'race'; valid: surface, expr"),
    ("race", "surface=moon", "unknown value for surface 'moon'; valid: quadratic"),
    ("race", "on=sgd,adma", "unknown item in on 'adma'"),
    ("race", "cond=0.5", r"cond='0.5' is outside \[1, 1000\]"),
    ("race", "seed=1.5", "must be a whole number"),
    ("race", "noise=yes", "unknown value for noise 'yes'"),
    ("race", "x=abc", "is not a number"),
    ("race", "lang=ko", "give the language as lang="),
])
def test_demo_refuses_what_the_view_would(name, state, expected):
    with pytest.raises(ValueError, match=expected):
        trainlab.demo(name, state=state)


def test_unknown_language():
    with pytest.raises(ValueError, match="unknown language 'fr'; valid: en, ko"):
        trainlab.demo("race", lang="fr")


def test_add_path_takes_lists_tuples_and_numpy():
    race = trainlab.Race()
    assert race.add_path([1, 2, 3], (0.5, 0.25, 0.0), label="lists") is None
    race.add_path(np.linspace(-1, 1, 4), np.array([1, 2, 3, 4], dtype=np.float32), label="numpy")
    assert race.user_paths == [
        {"label": "lists", "x": [1.0, 2.0, 3.0], "y": [0.5, 0.25, 0.0]},
        {"label": "numpy", "x": np.linspace(-1, 1, 4).tolist(), "y": [1.0, 2.0, 3.0, 4.0]},
    ]
    # The same label replaces its path; everything is plain JSON for the view.
    race.add_path([0], [0], label="lists")
    assert [p["label"] for p in race.user_paths] == ["numpy", "lists"]
    assert json.loads(json.dumps(race.get_state()["user_paths"])) == race.user_paths


@pytest.mark.parametrize("xs, ys, error, match", [
    ([1, 2], [1], ValueError, "differ in length: 2 and 1"),
    ([], [], ValueError, "at least one point"),
    (np.zeros((3, 2)), np.zeros(3), ValueError, r"xs must be 1-D; got shape \(3, 2\)"),
    ([1, float("nan")], [0, 0], ValueError, r"xs\[1\] = nan is not finite"),
    ([1, 2], [0, float("inf")], ValueError, r"ys\[1\] = inf is not finite"),
    ([[1, 2]], [0], TypeError, r"xs\[0\] = \[1, 2\] is not a number"),
    ("12", "34", TypeError, "xs must be a sequence of numbers"),
    (3.0, 4.0, TypeError, "xs must be a sequence of numbers"),
])
def test_add_path_refuses_bad_shapes(xs, ys, error, match):
    race = trainlab.Race()
    with pytest.raises(error, match=match):
        race.add_path(xs, ys)
    assert race.user_paths == []


def test_add_path_refuses_an_optimizers_label():
    with pytest.raises(ValueError, match="'sgd' is an optimizer's name"):
        trainlab.Race().add_path([0], [0], label="sgd")
    with pytest.raises(ValueError, match="non-empty"):
        trainlab.Race().add_path([0], [0], label="  ")


def test_run_sends_a_request_and_is_pending_until_answered():
    race = trainlab.Race()
    sent = []
    race.send = sent.append
    answers = []
    race.on_result(lambda r: answers.append(r.steps))
    assert not race.pending
    # None, not the race: a cell ending in race.run(50) must not show a second view.
    assert race.run(50) is None
    race.run(25)
    assert sent == [{"type": "run", "steps": 50, "id": 1}, {"type": "run", "steps": 25, "id": 2}]
    assert race.pending
    # What the view does when it has run them (the traitlets it writes).
    race.steps = 75
    race.answered = 1
    assert race.pending and answers == [75]
    race.answered = 2
    assert not race.pending and answers == [75, 75]


@pytest.mark.parametrize("bad", [0, -5, 2.5, True, "50", 1_000_001])
def test_run_refuses_bad_step_counts(bad):
    with pytest.raises(ValueError, match="steps must be a whole number"):
        trainlab.Race().run(bad)


def test_the_wheels_module_is_a_small_loader_and_the_bundle_travels_in_a_trait():
    static = Path(trainlab.__file__).parent / "static"
    esm = (static / "widget.js").read_text()
    # anywidget gives a model's module 2 s to load: the loader holds no data.
    assert len(esm.encode()) < 64 * 1024, f"the _esm loader is {len(esm.encode())} bytes"
    assert "export default" in esm and "render" in esm and "_bundle" in esm
    assert "base64" not in esm and "\nimport " not in esm
    # It imports only the bundle's text, from a blob: URL it makes itself.
    assert esm.count("import(") == 1 and "URL.createObjectURL(new Blob(" in esm
    bundle = (static / "bundle.js").read_text()
    assert "export function instance()" in bundle and "mountWidget" in bundle
    # Offline: the wasm is inside, nothing is imported from elsewhere.
    assert "data:application/wasm;base64," in bundle
    assert "import(" not in bundle and "\nimport " not in bundle
    # Every model carries the bundle to the page; the loader reads it there.
    race = trainlab.Race()
    assert race._bundle == bundle
    assert "_bundle" in race.keys and race.trait_metadata("_bundle", "sync")
