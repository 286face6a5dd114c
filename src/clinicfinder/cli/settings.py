"""`config` and `cache`: the user's saved settings and what clinicfinder keeps on disk."""

from typing import Annotated

import typer

from clinicfinder.cli import options as opt
from clinicfinder.cli.boundary import Group, echo, say
from clinicfinder.errors import ExitCode, UsageProblem, brief

config_app = typer.Typer(
    cls=Group,
    help="Saved settings: default location, units, online geocoding and its server.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
cache_app = typer.Typer(
    cls=Group,
    help="The cache of geocoding answers and clinic-file indexes.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
KeyArg = Annotated[
    str, typer.Argument(help="location, units, online, nominatim_url or findtreatment_url")
]


@config_app.command("set")
def config_set(
    key: KeyArg, value: Annotated[str, typer.Argument(help="The value to save.")]
) -> None:
    """Save a setting.

    Examples:

    \b
      clinicfinder config set location "Wichita, KS"
      clinicfinder config set units km
      clinicfinder config set nominatim_url http://localhost:8080
    """
    from clinicfinder import config

    config.check_key(key)
    if key == "units":
        opt.units(value, {})
    if key == "online" and value.strip().lower() not in ("true", "false"):
        raise UsageProblem(f"online must be true or false, not {brief(value)}")
    if key.endswith("_url"):
        from clinicfinder.online.http import check_server_url

        check_server_url(value)
    if key == "location":
        from clinicfinder.places.geocode import clean_query, locate

        value = clean_query(value)
        place = locate(value)  # refuse to save a place we can't find
        say(f"location resolves to {place.label}")
    path = config.set_value(key, value)
    say(f"saved {key} in {path}")


@config_app.command("get")
def config_get(key: KeyArg) -> None:
    """Print one saved setting (nothing, and exit 1, if it isn't set).

    Examples:

    \b
      clinicfinder config get location
    """
    from clinicfinder import config

    config.check_key(key)
    value = config.load().get(key)
    if value is None:
        raise typer.Exit(ExitCode.ERROR)
    echo(value)


@config_app.command("unset")
def config_unset(key: KeyArg) -> None:
    """Forget a saved setting.

    Examples:

    \b
      clinicfinder config unset location
    """
    from clinicfinder import config

    path = config.unset_value(key)
    say(f"removed {key} from {path}")


@config_app.command("list")
def config_list() -> None:
    """Print every saved setting as key=value, and where the file lives.

    Examples:

    \b
      clinicfinder config list
    """
    from clinicfinder import config

    for key, value in sorted(config.load().items()):
        echo(f"{key}={value}")
    say(f"({config.config_path()})")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete cached geocoding answers and clinic-file indexes (always safe).

    Examples:

    \b
      clinicfinder cache clear
    """
    from clinicfinder.userdirs import cache_dir, clear_cache

    removed = clear_cache()
    say(f"removed {len(removed)} file(s) from {cache_dir()}")


@cache_app.command("path")
def cache_path() -> None:
    """Print the cache folder.

    Examples:

    \b
      clinicfinder cache path
      du -sh "$(clinicfinder cache path)"
    """
    from clinicfinder.userdirs import cache_dir

    echo(str(cache_dir()))
