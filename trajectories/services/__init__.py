"""Writes that touch several models, by subject. Views call them as ``services.<entity>_<verb>``."""

from .access import *  # noqa: F403
from .archive import *  # noqa: F403
from .borgen import *  # noqa: F403
from .checklists import *  # noqa: F403
from .implementeren import *  # noqa: F403
from .innoveren import *  # noqa: F403
from .notifications import *  # noqa: F403
from .outcomes import *  # noqa: F403
from .participants import *  # noqa: F403
from .people import *  # noqa: F403
from .reviews import *  # noqa: F403
from .sharing import *  # noqa: F403
from .subphases import *  # noqa: F403
from .trajectories import *  # noqa: F403
from .transfer import *  # noqa: F403
from .verkennen import *  # noqa: F403
from .versioning import *  # noqa: F403
