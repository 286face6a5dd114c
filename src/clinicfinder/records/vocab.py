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

# Evidence levels used by the topic files, strongest first. Each page, and each part of
# a page graded apart (Spravato vs IV ketamine; prevention vs treatment), takes the
# FIRST level whose test it meets, read from the studies its sources describe. The tests
# are counts, so two readers of the same sources reach the same level (review 2).
ADEQUATE_TRIAL = (
    "a randomised controlled trial with at least 50 participants in each group compared, "
    "and either blinded outcome assessment or an active comparator of proven efficacy"
)
EVIDENCE: dict[str, str] = {
    "established": (
        "FDA approval for this use, or at least two adequate trials by independent "
        "research groups in favour"
    ),
    "moderate": (
        "at least one adequate trial in favour, or a meta-analysis of randomised trials "
        "pooling 300 or more participants in this use in favour; with real caveats"
    ),
    "emerging": (
        "no adequate trial yet: randomised trials in favour that are smaller or from one "
        "research group, or open-label studies in favour"
    ),
    "limited": (
        "only case reports, chart reviews or uncontrolled series; or the largest study is "
        "null or negative, or the studies conflict"
    ),
}
# Pages that are not graded on that scale, and what they carry instead.
EVIDENCE_LABELS: dict[str, str] = {
    "harms": "a harms page: what can go wrong, not whether ketamine helps",
    "": "not graded: see each condition's page for its evidence",
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
    "announced": "a source announces the service, but it is not yet offered",
}
# Statuses that are not a provider today: never ranked as one.
NOT_PROVIDING = frozenset({"closed", "announced"})

# Who may be seen, when a source restricts it (the registry's VAMC code, a VA name).
ELIGIBILITY: dict[str, str] = {
    "veterans only": "a Veterans Affairs facility: it serves eligible veterans",
}  # other restrictions a source states are kept in its words
# Age groups, from the registry's CHLD, YAD, ADLT and SNR codes.
AGES: dict[str, str] = {
    "child": "children and adolescents",
    "young-adult": "young adults",
    "adult": "adults",
    "senior": "seniors",
}
REGISTRY_AGES: dict[str, str] = {"CHLD": "child", "YAD": "young-adult", "ADLT": "adult",
                                 "SNR": "senior"}  # fmt: skip
# Languages besides English a source states, lower-case slugs (the registry's SP, AH, NX and
# "Other Languages" codes, and others a page names).
LANGUAGES: dict[str, str] = {
    "spanish": "Spanish",
    "sign-language": "sign language (for the deaf and hard of hearing)",
    "american-indian-alaska-native": "American Indian or Alaska Native languages",
    "arabic": "Arabic", "chinese": "Chinese", "creole": "Creole", "farsi": "Farsi",
    "french": "French", "german": "German", "greek": "Greek", "hebrew": "Hebrew",
    "hindi": "Hindi", "hmong": "Hmong", "italian": "Italian", "japanese": "Japanese",
    "korean": "Korean", "polish": "Polish", "portuguese": "Portuguese", "russian": "Russian",
    "tagalog": "Tagalog", "vietnamese": "Vietnamese", "ojibwa": "Ojibwa", "yupik": "Yupik",
}  # fmt: skip
# The registry's language codes (its Service Code Reference sheet, 2022-2024 editions).
REGISTRY_LANGUAGES: dict[str, str] = {
    "SP": "spanish", "AH": "sign-language", "NX": "american-indian-alaska-native",
    "F4": "arabic", "F17": "chinese", "F19": "creole", "F25": "farsi", "F28": "french",
    "F30": "german", "F31": "greek", "F35": "hebrew", "F36": "hindi", "F37": "hmong",
    "F42": "italian", "F43": "japanese", "F47": "korean", "F66": "polish", "F67": "portuguese",
    "F70": "russian", "F81": "tagalog", "F92": "vietnamese", "N24": "ojibwa", "N40": "yupik",
}  # fmt: skip
# Which line a phone number reaches.
PHONE_SCOPES: dict[str, str] = {
    "site": "the location's own number",
    "central": "central line",
}
# Payment a source lists (the filter's words).
PAYMENTS: dict[str, str] = {
    "medicare": "Medicare",
    "medicaid": "Medicaid",
    "tricare": "federal military insurance (e.g. TRICARE)",
    "private-insurance": "private health insurance",
    "cash": "cash or self-payment",
    "sliding-fee": "sliding fee scale (fee based on income)",
    "payment-assistance": "payment assistance",
    "va": "U.S. Department of Veterans Affairs funds",
}
# The registry's payment codes, as its Service Code Reference sheet defines them (2022-2024):
# SF is "Cash or self-payment" and SS "Sliding fee scale", not the other way round.
REGISTRY_PAYMENTS: dict[str, str] = {
    "MC": "medicare", "MD": "medicaid", "MI": "tricare", "PI": "private-insurance",
    "SF": "cash", "SS": "sliding-fee", "PA": "payment-assistance", "VAF": "va",
}  # fmt: skip
# What `near --payment/--language/--age` also understand, beyond the slugs above (case,
# spaces and underscores folded to the slug's form first): the words people type.
PAYMENT_ALIASES: dict[str, str] = {
    "military": "tricare", "military-insurance": "tricare", "champus": "tricare",
    "insurance": "private-insurance", "private": "private-insurance",
    "self-pay": "cash", "self-payment": "cash", "cash-or-self-payment": "cash",
    "sliding-scale": "sliding-fee", "sliding-fee-scale": "sliding-fee",
}  # fmt: skip
LANGUAGE_ALIASES: dict[str, str] = {
    "espanol": "spanish", "español": "spanish", "asl": "sign-language", "sign": "sign-language",
    "deaf": "sign-language", "american-sign-language": "sign-language",
}  # fmt: skip
AGE_ALIASES: dict[str, str] = {
    "children": "child", "kids": "child", "adolescent": "child", "adolescents": "child",
    "teen": "child", "teens": "child", "youth": "child", "young-adults": "young-adult",
    "adults": "adult", "seniors": "senior", "older-adult": "senior", "older-adults": "senior",
    "elderly": "senior",
}  # fmt: skip
# The registry's code for a facility run by the U.S. Department of Veterans Affairs.
REGISTRY_VA = "VAMC"
VETERANS_ONLY = "veterans only"
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


def counted(n: int, noun: str, nouns: str = "") -> str:
    """ "1 clinic", "3 clinics", "2 ketamine facilities": counts people read, never
    "clinic(s)". `nouns` for a plural that isn't noun + "s"."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"
