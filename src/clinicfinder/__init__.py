"""clinicfinder: find ketamine and esketamine clinics near a place, offline."""

__version__ = "0.1.0"
