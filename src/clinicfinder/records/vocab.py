"""The controlled vocabularies of the clinic data (see data/README.md)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "iv": "IV infusion",
    "im": "intramuscular injection",
    "esketamine": "esketamine (Spravato) nasal spray",
    "kap": "ketamine-assisted psychotherapy",
    "oral": "oral / sublingual",
    "at-home": "at-home (telehealth)",
}

# What a clinic's source may say it treats.
CONDITIONS: dict[str, str] = {
    "depression": "Depression",
    "treatment-resistant-depression": "Treatment-resistant depression",
    "suicidal-ideation": "Suicidal ideation",
    "bipolar-depression": "Bipolar depression",
    "postpartum-depression": "Postpartum depression",
    "anxiety": "Anxiety disorders",
    "ptsd": "PTSD",
    "ocd": "OCD",
    "eating-disorders": "Eating disorders",
    "chronic-pain": "Chronic pain",
    "migraine": "Migraine",
    "substance-use": "Substance use disorders",
    "alcohol-use": "Alcohol use disorder",
    "end-of-life-distress": "End-of-life distress",
}

# Evidence levels used by the topic files in data/conditions/, strongest first.
EVIDENCE: dict[str, str] = {
    "established": "regulatory approval and/or several adequate randomised trials that agree",
    "moderate": "two or more randomised trials or a meta-analysis, with real caveats",
    "emerging": "small pilot or open-label studies with positive signals; no confirmatory trial",
    "limited": "case reports, chart reviews, or trials that are null or conflicting",
}
# Pages that are not graded on that scale, and what they carry instead.
EVIDENCE_LABELS: dict[str, str] = {
    "harms": "a harms page: what can go wrong, not whether ketamine helps",
    "": "an overview: see each condition's page for its evidence",
}

# How precisely a searched-from place is known.
PRECISION_LABELS: dict[str, str] = {
    "point": "exact coordinates",
    "street": "street address",
    "zip": "ZIP code centre",
    "city": "city centre",
    "state": "state centre",
}

# Where a clinic is placed, finest first: what `show` says and how ties are broken.
PLACEMENT: dict[str, str] = {
    "street": "placed at its street address",
    "zip": "placed at its ZIP code centre",
    "city": "placed at its city centre",
    "none": "no location on file",
}
# Precisions at which a distance is to a real address or point, not a centre.
EXACT_PRECISIONS = frozenset({"point", "street"})

# What kind of page a clinic's source is (issue 11), as the table says it.
EVIDENCE_KINDS: dict[str, str] = {
    "clinic-site": "clinic's site",
    "news": "news",
    "press-release": "press release",
    "hospital": "hospital",
    "registry": "registry",
    "directory": "directory",
}
STATUSES: dict[str, str] = {
    "active": "the clinic's own site, or a source from the last three years, supports it",
    "unverified": "only older sources, or sources that leave doubt",
    "closed": "a source says it closed",
}
# Conditions of one family: `--condition X` also offers clinics that list a relative of X
# (marked "related"), so a clinic listing depression is not lost to a search for TRD.
CONDITION_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({
        "depression", "treatment-resistant-depression", "postpartum-depression",
        "suicidal-ideation",
    }),
    frozenset({"substance-use", "alcohol-use"}),
)  # fmt: skip


def related_conditions(condition: str) -> frozenset[str]:
    """The other conditions of `condition`'s family (none for a condition on its own)."""
    family = next((f for f in CONDITION_FAMILIES if condition in f), frozenset())
    return family - {condition}
