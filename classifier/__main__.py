"""`python -m classifier` runs the command line."""

import sys

from classifier.cli import main

sys.exit(main())
