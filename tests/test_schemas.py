"""Every JSON document the tool prints validates against its shipped JSON Schema (2020-12).

Records are closed (additionalProperties: false), so a renamed or added field
fails here until its schema says so: field names never change silently.
"""

import json
from importlib.resources import files

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMAS = {
    p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
    for p in files("clinicfinder.output").joinpath("schemas").iterdir()
    if p.name.endswith(".schema.json")
}
REGISTRY = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values()
)


def validate(name, document):
    Draft202012Validator.check_schema(SCHEMAS[name])
    validator = Draft202012Validator(SCHEMAS[name], registry=REGISTRY)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


@pytest.mark.parametrize(
    ("schema", "args"),
    [
        ("near", ["near", "Wichita, KS"]),
        ("near", ["near", "Atlanta, GA", "--condition", "PTSD", "--route", "iv"]),
        ("near", ["near", "Ely, NV", "--radius", "5", "--include-closed"]),
        (
            "near",
            [
                "near",
                "Los Angeles, CA",
                "--language",
                "spanish",
                "--payment",
                "cash",
                "--age",
                "senior",
            ],
        ),
        ("show", ["show", "advanced-infusion-and-wellness-center-wichita-ks"]),
        ("about-list", ["about"]),
        ("about-topic", ["about", "depression"]),
        ("about-topic", ["about", "spravato"]),
        ("regions", ["regions"]),
        ("region", ["regions", "GA"]),
        ("stats", ["data", "stats"]),
        ("validate", ["data", "validate"]),
        ("geocode", ["geocode", "67202"]),
    ],
)
def test_outputs_match_their_schemas(cli, schema, args):
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.stderr
    validate(schema, json.loads(result.stdout))


@pytest.mark.parametrize(
    "slug",
    ["anxiety", "iv", "kap", "recreational-use", "ptsd", "ketamine", "safety", "cost", "oral"],
)
def test_every_kind_of_topic_page_matches(cli_json, slug):
    validate("about-topic", cli_json("about", slug))


def test_every_document_carries_a_schema_version(cli_json):
    for args in (["near", "67202"], ["about"], ["regions"], ["data", "stats"]):
        assert cli_json(*args)["schema_version"] == 2


def test_geojson_and_ndjson_records(cli):
    geo = cli("near", "Denver, CO", "--format", "geojson")
    doc = json.loads(geo.stdout)
    validate("geojson", doc)
    first = doc["features"][0]
    lon, lat = first["geometry"]["coordinates"]
    assert (lat, lon) == (first["properties"]["lat"], first["properties"]["lon"])
    lines = cli("near", "Denver, CO", "--format", "ndjson").stdout.splitlines()
    assert lines
    validator = Draft202012Validator(
        {"$ref": "urn:clinicfinder:schema:defs#/$defs/match"}, registry=REGISTRY
    )
    for line in lines:
        validator.validate(json.loads(line))


def test_a_renamed_field_would_fail():
    """The schemas are strict enough to catch drift."""
    good = {
        "schema_version": 2,
        "topics": [
            {
                "slug": "x",
                "kind": "route",
                "name": "X",
                "evidence": "limited",
                "evidence_graded": "limited",
                "tagline": "",
                "grades": [{"level": "limited", "scope": "", "meaning": "m"}],
            }
        ],
    }
    validate("about-list", good)
    bad = json.loads(json.dumps(good).replace('"tagline"', '"tag_line"'))
    with pytest.raises(AssertionError):
        validate("about-list", bad)
