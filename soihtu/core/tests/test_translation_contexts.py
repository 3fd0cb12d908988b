"""Short words that mean different things in different places have a context each, so that
Finnish and Swedish can say each in its own way. Passes once locale/ has the translations."""

from __future__ import annotations

from django.utils import translation

from soihtu.planning.models import Proposal
from soihtu.surveys.models import SurveyRound


def test_an_open_survey_round_and_an_open_proposal_agree_in_swedish_gender() -> None:
    with translation.override("sv"):
        round_open = str(SurveyRound.State.OPEN.label)
        proposal_open = str(Proposal.Status.OPEN.label)
    assert round_open != proposal_open  # en omgång är öppen, ett förslag är öppet
