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
