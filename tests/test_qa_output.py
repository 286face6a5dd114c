"""What a QA pass on the plain output found: each test here failed before its fix."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("Columbus, OH", "--route", "spravato"), "--route"),
        (("Huntsville, AL", "--payment", "medicare", "--radius", "30"), "--payment"),
    ],
)
def test_telehealth_says_those_listed_above_only_under_a_list(cli, args, option):
    out = cli("near", *args).stdout
    assert "Also available by telehealth" not in out  # no list is shown here
    assert "those listed above" not in out
    line = " ".join(out[out.index("Telehealth:") :].split()[:20])
    assert option in line and "clinicfinder regions" in line, line
