"""trainlab in a notebook: the web app's demos as an anywidget widget.

    import trainlab
    trainlab.demo("race", state="surface=rosenbrock&on=sgd,momentum,adam", lang="ko")
    race = trainlab.Race(surface="quadratic", condition=50, optimizers=["sgd", "momentum"])
"""

from .names import DEMOS, LANGUAGES, OPTIMIZERS, SURFACES
from .widget import Demo, Race, demo

__all__ = ["DEMOS", "LANGUAGES", "OPTIMIZERS", "SURFACES", "Demo", "Race", "demo"]
__version__ = "0.1.0"
