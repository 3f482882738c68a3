"""registry.ascii_fold spells out umlauts and drops accents through a translation table filled as
characters are seen; it must give what dropping every combining character after NFKD gives (the
spelling the registry's and the search columns' stored values were written with)."""
from __future__ import annotations

import random
import unicodedata

from lagebild_core import registry


def _fold_by_generator(text: str) -> str:  # the definition, one character at a time
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def test_names_with_accents_and_umlauts():
    assert registry.ascii_fold("Recep Tayyip Erdoğan") == "recep tayyip erdogan"
    assert registry.ascii_fold("Müller-Lüdenscheidt") == "mueller-luedenscheidt"
    assert registry.ascii_fold("Ségolène Royal") == "segolene royal"
    assert registry.ascii_fold("Straße „Über“ – ½") == "strasse „ueber“ – 1⁄2"


def test_random_text_folds_as_its_definition():
    alphabet = ("abcxyzABCXYZ äöüÄÖÜß éèêçñåøłğşıİ „“‚‘»«–—…½ﬁ№ " "\u0301\u0308\u0327\u20d7\u1dc0"
                "Ελληνικά Кириллица 中文 ١٢٣ \u00a0\u2009")
    chooser = random.Random(7)
    texts = ["".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        assert registry.ascii_fold(text) == _fold_by_generator(text), text
