"""Every form's labels and select options are translated when rendered, not frozen in English at import."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import refresh
from flask_wtf import FlaskForm

import caseflow

TRANSLATIONS = Path(__file__).resolve().parents[2] / "caseflow" / "translations"


def _form_classes() -> list[type]:
    for module in pkgutil.walk_packages(caseflow.__path__, "caseflow."):
        if module.name.endswith(".forms") or ".forms_" in module.name:
            importlib.import_module(module.name)
    seen, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("caseflow."):
            seen.append(cls)
    return sorted(seen, key=lambda c: f"{c.__module__}.{c.__name__}")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_form_labels_and_options_are_in_the_page_language(app, lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    english = {m.id for m in catalog if isinstance(m.id, str) and m.id and m.string and m.string != m.id}
    forms = _form_classes()
    assert len(forms) > 10
    left = []
    with app.test_request_context(f"/?lang={lang}"):
        refresh()
        for cls in forms:
            form = cls(meta={"csrf": False})
            for field in form:
                texts = [str(field.label.text)]
                if getattr(field, "choices", None) is not None and not callable(field.choices):
                    texts += [str(label) for _value, label in field.choices]
                left += [f"{cls.__name__}.{field.name}: {t}" for t in texts if re.sub(r"\s+", " ", t) in english]
    assert not left, f"English left in forms ({lang}): {left}"
