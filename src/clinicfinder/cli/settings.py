"""`config` and `cache`: the user's saved settings and what clinicfinder keeps on disk."""

from typing import Annotated

import typer

from clinicfinder.cli.boundary import Group, echo, say
from clinicfinder.errors import ExitCode
from clinicfinder.records.vocab import counted

config_app = typer.Typer(
    cls=Group,
    help="Saved settings: default location, radius, units, pager, online geocoding and its "
    "servers. Each can also come from its environment variable (CLINICFINDER_<KEY>), which "
    "wins over the saved value; a command-line option wins over both.",
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
    str,
    typer.Argument(
        help="location, radius, units, pager, online, nominatim_url or findtreatment_url"
    ),
]


# Unknown options are taken as words of the value: `config set pager less -FRX`.
@config_app.command("set", context_settings={"ignore_unknown_options": True})
def config_set(
    key: KeyArg,
    value: Annotated[
        list[str],
        typer.Argument(
            metavar="VALUE...", help="The value to save (quotes optional: words are joined)."
        ),
    ],
) -> None:
    """Save a setting.

    location: a place as `near` takes it; radius: a number, optionally with mi or km;
    units: mi or km; pager: on, off or a command; online: true or false;
    nominatim_url, findtreatment_url: scheme://host[:port][/path].

    Examples:

    \b
      clinicfinder config set location Glasgow, MT
      clinicfinder config set radius 100 mi
      clinicfinder config set units km
      clinicfinder config set pager off
      clinicfinder config set nominatim_url http://localhost:8080
    """
    from clinicfinder import config

    text = config.check(key, " ".join(value))
    if key == "radius":  # read and limited as near reads it: "100", "100 mi", "160 km"
        from clinicfinder.places.distance import parse_distance, to_km
        from clinicfinder.search.rank import check_radius

        amount, unit = parse_distance(text, "the radius")
        check_radius(to_km(amount, unit or config.Settings.load().units(None)))
    if key == "location":
        from clinicfinder.places.geocode import clean_query, locate

        text = clean_query(text)
        place = locate(text)  # refuse to save a place we can't find
        say(f"location resolves to {place.label}")
    path = config.set_value(key, text)
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
    say(f"removed {counted(len(removed), 'file')} from {cache_dir()}")


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
