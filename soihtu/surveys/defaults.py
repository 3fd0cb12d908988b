"""The default template: what the seed's survey measured."""

from __future__ import annotations

from typing import NamedTuple


class TemplateQuestion(NamedTuple):
    key: str
    kind: str
    fi: str
    sv: str
    en: str


DEFAULT_QUESTIONS: list[TemplateQuestion] = [
    TemplateQuestion(
        "know_strategy",
        "likert",
        "Tunnen organisaatiomme strategian.",
        "Jag känner till vår strategi.",
        "I know our strategy.",
    ),
    TemplateQuestion(
        "strategy_more_familiar",
        "likert",
        "Strategia on tullut minulle tutummaksi.",
        "Strategin har blivit mer bekant för mig.",
        "The strategy has become more familiar to me.",
    ),
    TemplateQuestion(
        "chose_goals",
        "likert",
        "Olen osallistunut tiimimme tavoitteiden valintaan aiempaa enemmän.",
        "Jag har deltagit i att välja vårt teams mål mer än tidigare.",
        "I have taken part in choosing our team's goals more than before.",
    ),
    TemplateQuestion(
        "cooperation",
        "likert",
        "Teemme enemmän yhteistyötä tavoitteidemme saavuttamiseksi.",
        "Vi samarbetar mer för att nå våra mål.",
        "We cooperate more to reach our goals.",
    ),
    TemplateQuestion(
        "lessons_discussed",
        "likert",
        "Keskustelemme oppimastamme säännöllisesti.",
        "Vi diskuterar regelbundet vad vi har lärt oss.",
        "We discuss what we learned regularly.",
    ),
    TemplateQuestion(
        "new_ideas",
        "likert",
        "Uusia ideoita hyödynnetään aiempaa enemmän.",
        "Nya idéer används mer än tidigare.",
        "New ideas are used more than before.",
    ),
    TemplateQuestion(
        "work_serves_strategy",
        "likert",
        "Näen, miten työni palvelee strategiaa.",
        "Jag ser hur mitt arbete tjänar strategin.",
        "I see how my work serves the strategy.",
    ),
    TemplateQuestion(
        "work_benefits_customers",
        "likert",
        "Näen, miten työni hyödyttää asiakkaitamme.",
        "Jag ser hur mitt arbete gagnar våra kunder.",
        "I see how my work benefits our customers.",
    ),
    TemplateQuestion(
        "feel_trusted",
        "likert",
        "Koen, että minuun luotetaan.",
        "Jag känner att man litar på mig.",
        "I feel trusted.",
    ),
    TemplateQuestion(
        "team_uses_okrs_yes_no",
        "yes_no",
        "Käyttääkö tiimisi OKR-tavoitteita?",
        "Använder ditt team OKR-mål?",
        "Does your team use OKRs?",
    ),
    TemplateQuestion(
        "comments",
        "text",
        "Mitä muuta haluat sanoa OKR-työskentelystä?",
        "Vad mer vill du säga om arbetet med OKR?",
        "What else would you like to say about working with OKRs?",
    ),
]
