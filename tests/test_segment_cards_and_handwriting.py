"""Document-level decisions on badly read pages: a card's back read through fax specks stays with its front,
a handwritten attestation read in fragments is named (for review), typed papers with a signature are not."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from preverif.classify.doctypes import load_doctypes
from preverif.classify.scorer import classify_document
from preverif.classify.segment import segment_documents
from preverif.extract.names import find_named_person
from preverif.records import Box, Page, PageQuality, PageText, Word

DOCTYPES = load_doctypes()
SPECKS = "\n".join(["|", "i", "!", "1", "I", "\\", "|", ";"] * 5)  # what a fax's dirt reads as: 40 words


def make_page(
    text: str, *, number: int = 1, file: str = "scan.pdf", visual: dict[str, float] | None = None
) -> Page:
    """A page whose words are ``text``'s tokens; ``visual`` stands for the image cues the read stage measured."""
    words: list[Word] = []
    for line_no, line in enumerate(text.splitlines()):
        x = 10
        for token in line.split():
            words.append(Word(token, Box(x, 20 * line_no, 8 * len(token), 16), 80.0, line_no))
            x += 8 * len(token) + 8
    img = np.full((200, 150), 255, dtype=np.uint8)
    quality = PageQuality(width=150, height=200, dpi=200, sharpness=60, brightness=200, contrast=40)
    page = Page(
        file=file, number=number, image=img, text=PageText(tuple(words), "ocr", 60.0), quality=quality
    )
    return replace(page, visual=dict(visual or {"handwriting": 0.1, "id_card": 0.0, "portrait": 0.0}))


CNI_FRONT = (
    """RE 16 88 DE +33 3 18 2 PO
REPUBLIQUE FRANCAISE
CARTE NATIONALE D'IDENTITE / IDENTITY CARD
Nom / Surname
MOREAU
Prénoms / Given names
Julie, Anne
Sexe F Nationalité FRA Date de naiss. 12 03 2006
Lieu de naissance LYON (69)
Date d'expiration 29 07 2033
"""
    + SPECKS
)

FOREIGN_FRONT = (
    """18/11 16:36 DE +32 2 49 16 86 P 01
BELGIQUE : BELGIË : BELGIEN
CARTE D'IDENTITE / IDENTITEITSKAART
PETERS
ANNE
17.10.2005
BEL
03.08.2034
"""
    + SPECKS
)

BACKS = {
    "blurred_td1_band": """22/11 13:16 DE +33 5 28 95 59 PO
Inetine ze Andres
12 RUE DES ACACIAS, 35000 RENNES
Lab ch hs Lu a ns 04.08.2024
STADT BRUXELLES (BELGIQUE)
IDBE ELBSXSR4ELE2<<Kcecceccccece
Pie nan AMOC ea QR ott eee ete
PETERS REA CR LL i, in a i a
"""
    + SPECKS,
    "labels_only": """NE = 5p DE #39 5 36 2843 17 PO
Tailed Height Gok cs ats nonce Data of issug
1,65m 30072023
Adresse / Authess
12 BIS AVENUE DES LILAS, 31400 TOULOUSE
Autoa de ddl anes / Issu ou iahovity
PREFECTURE 31
"""
    + SPECKS,
    "band_read_upside_down": """DE +33 3 18 PO
>>>>>>>>>>>>>>>>>>MVEROM<<NAIL<<AEJLIU
6>>>>>>>>>>ARF4927033F5095070
"""
    + SPECKS
    + "\n"
    + SPECKS,
}


@pytest.mark.parametrize(
    ("front", "back"),
    [
        pytest.param(CNI_FRONT, BACKS["blurred_td1_band"], id="cni-front-blurred-band"),
        pytest.param(CNI_FRONT, BACKS["labels_only"], id="cni-front-back-labels"),
        pytest.param(CNI_FRONT, BACKS["band_read_upside_down"], id="cni-front-band-upside-down"),
        pytest.param(FOREIGN_FRONT, BACKS["blurred_td1_band"], id="belgian-front-blurred-band"),
        pytest.param(FOREIGN_FRONT, BACKS["labels_only"], id="belgian-front-back-labels"),
    ],
)
def test_faxed_card_back_stays_with_its_front(front: str, back: str) -> None:
    back_page = make_page(back, number=2)
    assert len(back_page.text.words) >= 60  # more words than a clean back: the specks of a fax
    alone = classify_document([back_page], DOCTYPES)
    assert alone.type in ("unknown", "identity") and alone.confidence < 0.5  # alone, it says little
    groups = segment_documents([make_page(front, number=1), back_page], DOCTYPES)
    assert [[p.number for p in g] for g in groups] == [[1, 2]]
    assert classify_document(groups[0], DOCTYPES).type == "identity"


HANDWRITTEN_HOSTING = {
    "title_and_domicile": """Nitestation Sur l'honneur
cn Me Lino BERTRAND, me le 04/09/1966 3
WX EN PROVENCE. (13) demeuemnt, 37 même Ye ln
Ge, Chea Mne Roussel. 74000 NINECY, Ateste sue
Honneur oe > mon dowicile Mme Sara COLIN we
le 9/9/2008 > NINES (0) depuis le 13 avail 2021, à
cette presse. ve om
Fat pour gaie ef valoir ce qe de dit,
Fat > Amecy, le 14/1/2026
Signature de Naecgeant Sri de haere)""",
    "phrase_fragments": """Attestation Suc émet
Je SousSiané Yonis Paul MARTEL, ré le 25 mes 1971 2
NANTES (44), demeucamt 14 allee Slur Bouvier, 45000
ORLEANS, ntteste suc l'honneur kéberar % mon domicile Ninon
LEBRUN, ve le 3Vle/zoou » RENNES (35), depuis le
17/03/2023, à cette pdcesse.
Fait peur Seevic et valir ce que de droit,
Frit 2 Odéms, le 26/10/2026
Oispaluce de Nec sean Sisratuce de Iéecagte)""",
    "little_read": """Aicskabion ve ome
ji Sousdsre Pa Teun, nee & Jui
ateste sun Chonnaw heloys aw Ceatin
chez moa mon dosmicile depwis
Faut a Plaine le 02/02/2026""",
}


@pytest.mark.parametrize(
    ("text", "hand"),
    [
        pytest.param(HANDWRITTEN_HOSTING["title_and_domicile"], 0.0, id="title-read-no-cue"),
        pytest.param(HANDWRITTEN_HOSTING["phrase_fragments"], 0.9, id="fragments-with-cue"),
        pytest.param(HANDWRITTEN_HOSTING["little_read"], 0.9, id="little-read-with-cue"),
    ],
)
def test_badly_read_handwritten_attestation_is_named(text: str, hand: float) -> None:
    page = make_page(text, visual={"handwriting": hand, "id_card": 0.0, "portrait": 0.0})
    result = classify_document([page], DOCTYPES)
    assert result.type == "host_attestation", result.scores


def test_attestation_guessed_from_handwriting_asks_for_review() -> None:
    text = "Aicskabion ve ome\nji Sousdsre Pa Teun nee Jui\nbla ble mon dosmicile\n" + SPECKS
    with_cue = classify_document([make_page(text, visual={"handwriting": 0.9})], DOCTYPES)
    without = classify_document([make_page(text, visual={"handwriting": 0.0})], DOCTYPES)
    assert with_cue.type == "host_attestation" and with_cue.confidence < 0.5  # status 'review' downstream
    assert without.type == "unknown"


TYPED_WITH_SIGNATURE = {
    "assr/honour_statement": """DÉCLARATION SUR L'HONNEUR
(perte de l'ASSR 2 ou de l'ASR - permis de conduire)
Je soussigné M. Paul GIRARD, né le 03/02/2006 à BREST (29), demeurant 3 rue Haute, 49100 ANGERS,
déclare sur l'honneur avoir obtenu l'attestation de sécurité routière
et ne plus être en possession de cette attestation.
Fait pour servir et valoir ce que de droit.
Fait à Angers, le 05/10/2026
Signature""",
    "proof_of_address/electricity": """EDF Votre facture d'électricité
Facture n° 10023455 du 12/10/2026
Titulaire du contrat : M. Paul GIRARD
Adresse de livraison : 3 rue Haute 49100 ANGERS
Montant total TTC à payer : 84,20 €
Signature""",
    "jdc/certificate": """CERTIFICAT INDIVIDUEL DE PARTICIPATION
À LA JOURNÉE DÉFENSE ET CITOYENNETÉ
Nom : GIRARD Prénom(s) : Paul
a participé à la Journée défense et citoyenneté le 20 mars 2024.
Fait à Bordeaux, le 20/03/2024 Le chef du centre""",
}


@pytest.mark.parametrize(
    "expected", [pytest.param(key, id=key.replace("/", "-")) for key in TYPED_WITH_SIGNATURE]
)
def test_typed_paper_with_a_handwritten_signature_keeps_its_type(expected: str) -> None:
    page = make_page(TYPED_WITH_SIGNATURE[expected], visual={"handwriting": 0.6})
    result = classify_document([page], DOCTYPES)
    assert f"{result.type}/{result.subtype}" == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "TICKET CAISSE Carrefour\nTOTAL 12,40 EUR\nCB merci de votre visite\nmon domicile", id="receipt"
        ),
        pytest.param(
            "Liste des courses depuis le marché\n" + " ".join(["pommes poires lait beurre"] * 8),
            id="note-without-attestation-words",
        ),
    ],
)
def test_handwritten_page_without_attestation_wording_is_not_an_attestation(text: str) -> None:
    result = classify_document([make_page(text, visual={"handwriting": 0.9})], DOCTYPES)
    assert result.type != "host_attestation", result.scores


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(HANDWRITTEN_HOSTING["phrase_fragments"], id="handwritten-attestation"),
        pytest.param("Zorg dat bla\n" + " ".join(["motif"] * 160) + "\nadresse", id="long-unread-page"),
    ],
)
def test_a_page_of_text_after_an_identity_front_is_a_new_document(second: str) -> None:
    pages = [
        make_page(CNI_FRONT, number=1),
        make_page(second, number=2, visual={"handwriting": 0.9, "id_card": 0.0, "portrait": 0.0}),
    ]
    assert [[p.number for p in g] for g in segment_documents(pages, DOCTYPES)] == [[1], [2]]


def test_a_third_card_side_does_not_join() -> None:
    pages = [
        make_page(CNI_FRONT, number=1),
        make_page(BACKS["labels_only"], number=2),
        make_page(BACKS["labels_only"], number=3),
    ]
    assert [len(g) for g in segment_documents(pages, DOCTYPES)] == [2, 1]


@pytest.mark.parametrize(
    ("lines", "surname", "given"),
    [
        pytest.param(
            [
                "Nom: . | GAUTHIER oo",
                ": Prénom(s) :",
                "La jeune Inès Louise GAUTHIER a participé à la Journée",
            ],
            "GAUTHIER",
            ("Inès", "Louise"),
            id="given-label-unread-sentence-names-holder",
        ),
        pytest.param(
            ["Nom : BERNARD", "Prénom(s) : Hugo", "Le jeune Hugo BERNARD a participé"],
            "BERNARD",
            ("Hugo",),
            id="labels-read-win",
        ),
        pytest.param(
            ["Nom : MARTIN", "Le jeune Paul DURAND a participé"],
            "MARTIN",
            (),
            id="sentence-about-someone-else-ignored",
        ),
        pytest.param(["Nom : DU PONT", "Prénom(s) : Marie"], "DU PONT", ("Marie",), id="particle-kept"),
    ],
)
def test_jdc_holder_from_labels_or_sentence(lines: list[str], surname: str, given: tuple[str, ...]) -> None:
    person = find_named_person(lines)
    assert person is not None
    assert (person.surname, person.given_names) == (surname, given)


@pytest.mark.parametrize(
    "junk", [pytest.param([], id="empty"), pytest.param(["", "Nom :", "La jeune"], id="bare")]
)
def test_named_person_on_junk_is_none(junk: list[str]) -> None:
    assert find_named_person(junk) is None


GARBLED_FRONT = (
    """19/09/2025 13:35 DE + +33 4 13 51 10 39
| Bf REPUBLIQUE FRANÇAISE
CARTE NATIONAL WIDLATITE JIDENTITY GARD
LZVKR489J
GIRARD
Pa Gaver nis
Léa, Claire, Rose
F FRA 2701 1981
POINTE-A-PITRE (971) NAVA
02 03 2036
"""
    + SPECKS
)
READABLE_BACK = """11/19/2006 18:52 DE : #33 549 5205 34 P, 001
1.67 m 0303 2026
8 ROUTE DES CÔTEAUX, 94000 CRÉTEIL
PRÉFECTURE 31
IDFRALZVKR489J7<<<<<<<<<<<<<<<
8101279F3603022FRA<<<<<<<<<<<2
GIRARD<<LEA<CLAIRE<ROSE<<<<<<<
"""


@pytest.mark.parametrize(
    ("front", "joined"),
    [
        pytest.param(GARBLED_FRONT, True, id="garbled-front-names-the-mrz-holder"),
        pytest.param(
            GARBLED_FRONT.replace("GIRARD", "MOREAU")
            .replace("LZVKR489J", "")
            .replace("Claire, Rose", "Julie"),
            False,
            id="other-person",
        ),
        pytest.param(
            "REPUBLIQUE FRANCAISE\nCARTE NATIONALE IDENTITE\n" + SPECKS, False, id="card-words-only"
        ),
    ],
)
def test_unreadable_side_naming_the_other_sides_holder_joins_it(front: str, joined: bool) -> None:
    """A side OCR could not type joins the readable side that follows only when it names the same
    holder (or document number): the words every card prints prove nothing."""
    pages = [make_page(front, number=1), make_page(READABLE_BACK, number=2)]
    assert classify_document(pages[:1], DOCTYPES).type == "unknown"  # the case: the front is untyped
    groups = [[p.number for p in g] for g in segment_documents(pages, DOCTYPES)]
    assert groups == ([[1, 2]] if joined else [[1], [2]])
