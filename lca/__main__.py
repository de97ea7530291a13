"""``python -m lca``: the same as the ``lca`` command."""
import sys

from lca.cli import main

sys.exit(main())
