"""``python -m lca``: the same as the ``lca`` command."""
import sys

from .cli import main

sys.exit(main())
