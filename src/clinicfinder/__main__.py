"""`python -m clinicfinder` runs the same CLI as the `clinicfinder` command."""

from clinicfinder.cli.app import main

main()
