"""The alignment map: the layout, the overview, focus on an objective and on a unit, limits, what
a person may not see, and the link from My OKRs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from soihtu.conftest import World, client_for, make_objective
from soihtu.core.tests.test_focus_contrast import contrast
from soihtu.okrs.alignment import NO_THEME, PALETTE, PER_ROW, MapNode, lay_out
from soihtu.okrs.map_selectors import MAX_NODES
from soihtu.okrs.models import Objective
from soihtu.organization.models import Unit

MAP = reverse("okrs:map")


def focus(target: Objective | Unit, kind: str = "objective") -> str:
    return f"{MAP}?focus={kind}:{target.pk}"


def svg_of(html: str) -> str:
    return html[html.index('<svg class="map-svg') : html.index("</svg>", html.index("map-svg"))]


def list_of(html: str) -> str:
    return html[html.index('<ol class="map-list">') :]


def node_links(html: str) -> list[str]:
    """The objective pages the SVG's boxes link to, in Tab order."""
    return re.findall(r'<a class="map-node[^"]*" href="(/objectives/\d+/)"', svg_of(html))


def edge_count(html: str) -> int:
    return svg_of(html).count('marker-end="url(#map-arrow)"')


# Layout


def _node(key: str, layer: int, *parents: str) -> MapNode:
    return MapNode(key=key, layer=layer, sort_key=(key,), parents=list(parents))


def test_layout_draws_an_edge_for_every_parent_and_orders_layers_top_down() -> None:
    nodes = [
        _node("theme:1", 0),
        _node("theme:2", 0),
        _node("objective:1", 1, "theme:2"),
        _node("objective:2", 1, "theme:1"),
        _node("objective:3", 4, "objective:1", "objective:2"),  # two parents
        _node("objective:4", 2, "objective:9"),  # its parent is not drawn: no edge
    ]
    layout = lay_out(nodes)
    assert [[n.key for n in layer] for layer in layout.layers] == [
        ["theme:1", "theme:2"],
        ["objective:2", "objective:1"],  # under their themes: fewer crossings
        ["objective:4"],
        ["objective:3"],  # empty layers are left out
    ]
    assert sorted((e.lower.key, e.upper.key) for e in layout.edges) == [
        ("objective:1", "theme:2"),
        ("objective:2", "theme:1"),
        ("objective:3", "objective:1"),
        ("objective:3", "objective:2"),
    ]
    for edge in layout.edges:
        assert edge.lower.y > edge.upper.bottom  # every line leads upward
    assert [n.key for n in layout.nodes][:2] == ["theme:1", "theme:2"]  # Tab order: by layer


def test_a_long_layer_wraps_into_rows_within_the_width() -> None:
    nodes = [_node(f"objective:{i}", 2) for i in range(PER_ROW * 2 + 1)]
    layout = lay_out(nodes)
    rows = sorted({n.y for n in nodes})
    assert len(rows) == 3
    assert all(n.x >= 0 and n.x + n.width <= layout.width for n in nodes)
    assert max(n.bottom for n in nodes) <= layout.height


def test_theme_colours_carry_white_text_and_show_on_white() -> None:
    for colour in (*PALETTE, NO_THEME):
        assert contrast(colour, "#ffffff") >= 4.5, colour
    assert len(set(PALETTE)) == len(PALETTE)


# The overview


def test_overview_shows_themes_and_organization_objectives_with_counts(world: World) -> None:
    html = client_for(world.member).get(MAP).content.decode()
    assert "Alignment map 2026" in html
    for theme in world.themes:
        assert f'aria-label="Strategy theme: {theme.name}"' in html
    assert node_links(html) == [f"/objectives/{world.org_objective.pk}/"]
    assert "1 contributing objective" in svg_of(html)
    assert world.objective_a.title not in html  # the whole organization is never drawn
    assert f'href="{focus(world.org_objective)}"' in svg_of(html)
    assert edge_count(html) == 1  # the organization objective under its theme


def test_overview_of_another_year_is_empty_but_says_so(world: World) -> None:
    html = client_for(world.member).get(MAP + "?year=1999").content.decode()
    assert "Alignment map 2026" in html  # an unknown year falls back to the current one


# Focus


@pytest.fixture
def chain(world: World) -> dict[str, Objective]:
    """Org ← division objective ← Unit A objective ← Team A and Team B objectives; Team A's
    objective also contributes to the organization objective directly (two parents)."""
    division = make_objective(world.division, year=world.year, cycle=None, title="Jaoston tavoite")
    division.contributes_to.set([world.org_objective])
    division.themes.set([world.themes[0], world.themes[1]])
    unit = make_objective(world.unit_a, year=world.year, cycle=None, title="Yksikön tavoite")
    unit.contributes_to.set([division])
    world.objective_a.contributes_to.set([unit, world.org_objective])
    world.objective_b.contributes_to.set([unit])
    return {"division": division, "unit": unit}


def test_focus_on_a_team_objective_shows_its_chain_up_to_the_theme(
    world: World, chain: dict[str, Objective]
) -> None:
    html = client_for(world.member).get(focus(world.objective_a)).content.decode()
    links = node_links(html)
    for objective in (world.org_objective, chain["division"], chain["unit"], world.objective_a):
        assert f"/objectives/{objective.pk}/" in links
    assert 'aria-label="Strategy theme: Trust"' in html
    assert world.objective_b.title not in svg_of(html)  # a sibling, neither above nor below
    # Tab order is layer by layer: organization, division, unit, team.
    assert links == [
        f"/objectives/{o.pk}/"
        for o in (world.org_objective, chain["division"], chain["unit"], world.objective_a)
    ]
    # Edges: team→unit, team→org (two parents), unit→division, division→org, org→Trust.
    assert edge_count(html) == 5
    assert "Your objective" in html
    assert "In focus" in html
    listed = list_of(html)
    assert "Contributes to:" in listed
    assert chain["unit"].title in listed
    assert world.org_objective.title in listed


def test_focus_reaches_two_levels_down_and_no_further(
    world: World, chain: dict[str, Objective]
) -> None:
    html = client_for(world.member).get(focus(world.org_objective)).content.decode()
    links = node_links(html)
    assert f"/objectives/{chain['division'].pk}/" in links  # one level down
    assert f"/objectives/{world.objective_a.pk}/" in links  # one level down too (direct)
    assert f"/objectives/{chain['unit'].pk}/" in links  # two levels down
    assert f"/objectives/{world.objective_b.pk}/" not in links  # three levels down
    html = client_for(world.member).get(focus(chain["division"])).content.decode()
    assert f"/objectives/{world.objective_b.pk}/" in node_links(html)  # two levels down from here


def test_focus_on_a_unit_shows_its_objectives_of_the_cycle_and_their_neighbourhood(
    world: World, chain: dict[str, Objective]
) -> None:
    html = client_for(world.member).get(focus(world.team_a, "unit")).content.decode()
    links = node_links(html)
    assert f"/objectives/{world.objective_a.pk}/" in links
    assert f"/objectives/{world.restricted_a.pk}/" in links  # the member's own team
    assert f"/objectives/{world.org_objective.pk}/" in links
    assert "In focus: Team A" in html
    html = client_for(world.member).get(focus(world.unit_a, "unit")).content.decode()
    links = node_links(html)
    assert f"/objectives/{chain['unit'].pk}/" in links  # the unit's objective for the year
    assert f"/objectives/{world.objective_b.pk}/" in links  # below it


def test_the_unit_picker_focuses_on_the_unit_it_names(world: World) -> None:
    client = client_for(world.member)
    html = client.get(MAP + f"?unit={world.team_b.pk}").content.decode()
    assert "In focus: Team B" in html
    assert f"/objectives/{world.objective_b.pk}/" in node_links(html)
    html = client.get(MAP + "?unit_name=Team").content.decode()
    assert "3 units match “Team”" in html  # Did you mean: the overview stays
    assert node_links(html) == [f"/objectives/{world.org_objective.pk}/"]


def test_a_map_with_more_objectives_than_it_draws_counts_the_rest(world: World) -> None:
    extra = [
        make_objective(world.team_c, year=world.year, cycle=world.cycle, title=f"Lisä {i}")
        for i in range(MAX_NODES + 5)
    ]
    for objective in extra:
        objective.contributes_to.set([world.org_objective])
    html = client_for(world.outsider).get(focus(world.org_objective)).content.decode()
    drawn = len(node_links(html))
    assert drawn <= MAX_NODES
    direct = len(extra) + 1  # and objective_a
    assert f"And {direct - (drawn - 1)} more objectives contribute directly, not drawn." in html
    # The outsider's own team's objectives come first.
    assert f"/objectives/{extra[0].pk}/" in node_links(html)


# What a person may not see


@pytest.fixture
def hidden(world: World) -> Objective:
    """A restricted objective of Unit A contributes to the organization objective, and Team B's
    open objective contributes only to it; Team A's restricted objective contributes to the
    organization objective too."""
    secret = make_objective(
        world.unit_a,
        year=world.year,
        cycle=None,
        title="Salainen yksikön tavoite",
        visibility=Objective.Visibility.RESTRICTED,
    )
    secret.contributes_to.set([world.org_objective])
    world.objective_b.contributes_to.set([secret])
    world.restricted_a.contributes_to.set([world.org_objective])
    return secret


SECRETS = ("Salainen yksikön tavoite", "Sisäinen kehitys")


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("admin", set(SECRETS)),
        ("parent_supervisor", {"Salainen yksikön tavoite"}),
        ("member", set(SECRETS)),  # Team A is inside Unit A
        ("member_b", {"Salainen yksikön tavoite"}),
        ("outsider", set()),
    ],
)
def test_no_restricted_objective_leaks_as_a_box_a_name_or_a_count(
    world: World, hidden: Objective, persona: str, sees: set[str]
) -> None:
    client = client_for(world.persona(persona))
    overview = client.get(MAP).content.decode()
    n = 1 + len(sees) + (1 if "Salainen yksikön tavoite" in sees else 0)  # objective_b via it
    expected = f"{n} contributing objective" + ("s" if n != 1 else "")
    assert expected in svg_of(overview)
    assert expected in list_of(overview)
    for url in (focus(world.org_objective), focus(world.objective_b), focus(world.team_b, "unit")):
        html = client.get(url).content.decode()
        for title in set(SECRETS) - sees:
            assert title not in html, (url, title)
    html = client.get(focus(world.org_objective)).content.decode()
    assert {title for title in SECRETS if title in html} == sees
    # Team B's objective is reached only through the hidden objective.
    assert (f"/objectives/{world.objective_b.pk}/" in node_links(html)) == bool(sees)


@pytest.mark.parametrize("persona", ["member_b", "outsider", "parent_supervisor"])
def test_focus_on_a_hidden_objective_is_404(world: World, persona: str) -> None:
    response = client_for(world.persona(persona)).get(focus(world.restricted_a))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query", ["?focus=objective:abc", "?focus=team:1", "?focus=objective:", "?focus=1"]
)
def test_a_malformed_focus_is_a_bad_request(world: World, query: str) -> None:
    assert client_for(world.member).get(MAP + query).status_code == 400


def test_unknown_objective_or_unit_is_404(world: World) -> None:
    client = client_for(world.member)
    assert client.get(MAP + "?focus=objective:999999").status_code == 404
    assert client.get(MAP + "?focus=unit:999999").status_code == 404


def test_the_map_refuses_post(world: World) -> None:
    assert client_for(world.member).post(MAP).status_code == 405


# From My OKRs, the strategy and the organization


def test_my_okrs_links_each_objective_to_the_map_where_it_is_marked_mine(world: World) -> None:
    client = client_for(world.member)
    html = client.get(reverse("okrs:my_okrs")).content.decode()
    link = f"/map/?focus=objective:{world.objective_a.pk}"
    assert f'href="{link}"' in html
    assert "Show on the map" in html
    page = client.get(link).content.decode()
    assert 'class="map-node mine focus"' in page
    assert "Yours · Team A" in svg_of(page)
    assert "Your objective" in list_of(page)
    other = client_for(world.member_b).get(link).content.decode()
    assert "map-node mine" not in other
    assert "Your objective" not in other


def test_strategy_and_organization_link_the_map(world: World) -> None:
    client = client_for(world.member)
    assert 'href="/map/?year=2026"' in client.get(reverse("okrs:strategy")).content.decode()
    assert 'href="/map/"' in client.get(reverse("okrs:organization")).content.decode()
