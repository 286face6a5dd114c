"""`python -m clinicfinder` runs the same CLI as the `clinicfinder` command."""

import sys

from clinicfinder.cli import main

sys.exit(main())
