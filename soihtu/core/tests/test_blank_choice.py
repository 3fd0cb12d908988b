"""The empty choice of a select is Soihtu's own string, translated like every other: Django's
"- Select an option -" has no Finnish or Swedish."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from soihtu.conftest import World, client_for
from soihtu.okrs.forms import KeyResultForm

OURS = "— Choose —"


def test_forms_built_at_import_use_our_empty_choice() -> None:
    assert str(KeyResultForm.base_fields["owner"].empty_label) == OURS  # type: ignore[attr-defined]


def test_the_key_result_form_offers_our_empty_choice_in_the_persons_language(
    world: World,
) -> None:
    url = reverse("okrs:key_result_create", args=[world.objective_a.pk])
    for language in ("en", "fi", "sv"):
        html = client_for(world.torchbearer, language).get(url).content.decode()
        with translation.override(language):
            shown = translation.gettext(OURS)
        assert f'<option value="">{shown}</option>' in html, language
        assert "Select an option" not in html, language
