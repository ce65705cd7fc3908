"""`python -m pipelines.cli` is `uw`, for environments where the script is not on PATH."""

import sys

from pipelines.cli import main

sys.exit(main())
