"""The demo organization's content: Finnish names, units, objectives, key results and notes.

Plain data, kept apart from the generator (generate.py) that turns it into rows.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSONA_NAMES = {
    "okr.toimisto": ("Olli", "OKR-toimisto"),
    "esihenkilo": ("Eeva", "Esihenkilö"),
    "soihdunkantaja": ("Sami", "Soihdunkantaja"),
    "jasen": ("Jenni", "Jäsen"),
    "toisen.tiimin.jasen": ("Tuomas", "Toisen-Tiimin"),
}

# --- Content: themes, names, objectives ---------------------------------------------------------

THEMES = [
    (
        ("Luottamus", "Förtroende", "Trust"),
        (
            "Asiakkaat voivat luottaa Kelaan.",
            "Kunderna kan lita på FPA.",
            "Customers can trust Kela.",
        ),
        "#1f5f8b",
    ),
    (
        ("Tieto", "Kunskap", "Knowledge"),
        (
            "Kela käyttää tietoa paremman asiakaskokemuksen rakentamiseen.",
            "FPA använder kunskap för att bygga en bättre kundupplevelse.",
            "Kela uses information to build a better customer experience.",
        ),
        "#6a3d9a",
    ),
    (
        ("Turva", "Trygghet", "Security"),
        (
            "Kela luo turvaa asiakkaidensa arkeen.",
            "FPA skapar trygghet i kundernas vardag.",
            "Kela creates security in its customers' everyday lives.",
        ),
        "#2e7d32",
    ),
]


def _words(text: str) -> list[str]:
    """The words of a paragraph: long lists of names read better as running text."""
    return text.split()


FIRST_NAMES = _words(
    "Aino Aleksi Anna Anne Anni Antti Anu Ari Camilla Eero Eeva Elina Ella Emilia Emma Hanna "
    "Hannu Heikki Helena Henna Iida Ilkka Janne Jari Jenni Johan Johanna Jouni Juha Juho Jukka "
    "Jussi Kaisa Kari Katja Katri Kimmo Kirsi Kristian Laura Lauri Leena Liisa Maija Marja "
    "Markku Marko Matti Merja Mika Mikael Mikko Minna Niina Niko Noora Olli Oskari Outi Paula "
    "Pekka Petri Pia Päivi Riikka Risto Sanna Sari Satu Seppo Sini Sirpa Suvi Tapio Teemu Tiina "
    "Timo Toni Tuomas Tuula Ulla Veera Vesa Ville"
)
LAST_NAMES = _words(
    "Aaltonen Ahonen Anttila Eskola Forsman Grönroos Hämäläinen Heikkilä Heikkinen Heinonen "
    "Hiltunen Hirvonen Holmberg Honkanen Huttunen Hyvönen Jääskeläinen Järvinen Jokinen Kallio "
    "Kangas Karjalainen Kauppinen Kettunen Kinnunen Koivisto Koivula Kokkonen Korhonen Koskinen "
    "Kurki Laaksonen Lahtinen Laine Laitinen Lampinen Lehtinen Lehtola Lehtonen Leinonen Lepistö "
    "Lindholm Lindqvist Lindström Mäkelä Mäkinen Manninen Mattila Miettinen Moilanen Mustonen "
    "Niemi Nieminen Nurmi Nyström Ojala Oksanen Peltonen Pesonen Pitkänen Pulkkinen Räsänen "
    "Rantanen Rautio Rinne Ruotsalainen Saarinen Salminen Salo Salonen Savolainen Seppälä Sirola "
    "Sundström Tikkanen Toivonen Tuominen Turunen Väisänen Vainio Välimäki Vartiainen Vesterinen "
    "Virtanen Wikström Ylönen Åberg Öhman"
)
IT_TEAM_NAMES = [
    f"Tiimi {word}"
    for word in _words(
        "Ilves Kuukkeli Karhu Ahma Saukko Majava Kettu Susi Hirvi Kärppä Näätä Tikka Pöllö "
        "Kotka Haukka Joutsen Kurki Kuikka Sorsa Tiira Lokki Peippo Tilhi Närhi Korppi Orava "
        "Siili Jänis Poro Norppa Lohi Hauki Ahven Kuha Muikku Taimen Kanerva Kataja Kuusi Mänty "
        "Koivu Pihlaja Vaahtera Tammi Haapa"
    )
]


@dataclass(frozen=True)
class DivisionSpec:
    name: str
    content: str  # which objective templates its teams use
    share: float  # of all people
    team_sizes: tuple[int, int]
    min_teams: int  # besides the first team
    units: tuple[tuple[str, tuple[str, ...]], ...]  # unit name, bases of its teams' names
    numbered: bool  # "Eläke-etuudet tiimi 3" rather than "Kirjanpito", "Kirjanpito 2"
    first_team: tuple[str, str, int, int] | None = None  # name, content, size range


def _region(name: str, *cities: str) -> tuple[str, tuple[str, ...]]:
    return name, tuple(f"Asiakaspalvelu {city}" for city in cities)


BENEFIT_AREAS = _words(
    "Eläke-etuudet Opintoetuudet Perhe-etuudet Toimeentulotuki Asumisen_tuet "
    "Sairausvakuutusetuudet Työttömyysturva Vammaisetuudet Kuntoutus Lääkekorvaukset "
    "Kansainväliset_etuudet"
)

DIVISIONS = [
    DivisionSpec(
        "Asiakkuudet",
        "customer",
        0.35,
        (8, 15),
        2,
        (
            _region("Palvelualue Etelä", "Helsinki", "Espoo", "Vantaa"),
            _region("Palvelualue Länsi", "Turku", "Pori", "Rauma"),
            _region("Palvelualue Keski", "Tampere", "Jyväskylä", "Hämeenlinna"),
            _region("Palvelualue Itä", "Kuopio", "Joensuu", "Mikkeli"),
            _region("Palvelualue Pohjoinen", "Oulu", "Rovaniemi", "Kajaani"),
            _region("Palvelualue Pohjanmaa", "Vaasa", "Seinäjoki", "Kokkola"),
            _region("Palvelualue Kaakko", "Lahti", "Kouvola", "Lappeenranta"),
            ("Puhelinpalvelu", ("Puhelinpalvelu",)),
            ("Verkkoasiointi ja chat", ("Chat-palvelu", "Verkkoasioinnin tuki")),
            ("Palveluohjaus", ("Palveluohjaus", "Ajanvarauspalvelu")),
        ),
        numbered=True,
    ),
    DivisionSpec(
        "Etuuspalvelut",
        "benefits",
        0.40,
        (7, 14),
        1,
        tuple(
            (area.replace("_", " "), (f"{area.replace('_', ' ')} tiimi",)) for area in BENEFIT_AREAS
        ),
        numbered=True,
    ),
    DivisionSpec(
        "Tietotekniikka ja ratkaisut",
        "solutions",
        0.15,
        (5, 10),
        0,
        tuple(
            (name, ())
            for name in (
                "Tietopalvelut ja analytiikka",
                "Ratkaisuyksikkö Kelasto",
                "Ratkaisuyksikkö Etuuskäsittely",
                "Ratkaisuyksikkö Asiointi",
                "Tietoalusta",
                "Infrastruktuuri ja pilvipalvelut",
                "Tietoturva ja jatkuvuus",
                "Arkkitehtuuri",
            )
        ),
        numbered=False,
        first_team=("Data-analytiikan tiimi", "data", 5, 5),
    ),
    DivisionSpec(
        "Yhteiset palvelut",
        "shared",
        0.10,
        (4, 9),
        0,
        (
            ("Strategia ja johdon tuki", ("Strategiatiimi", "Johdon tuki")),
            ("Henkilöstöpalvelut", ("Rekrytointi", "Palkkapalvelut", "Työhyvinvointi")),
            ("Talouspalvelut", ("Kirjanpito", "Maksuliikenne", "Budjetointi ja seuranta")),
            ("Hankinnat", ("Hankintapalvelut", "Sopimushallinta")),
            ("Viestintä", ("Sisäinen viestintä", "Verkkoviestintä", "Mediapalvelut")),
            ("Lakiasiat", ("Lainsäädäntö", "Oikeuspalvelut")),
            ("Toimitilapalvelut", ("Toimitilat", "Turvallisuus")),
        ),
        numbered=False,
        first_team=("OKR-toimisto", "shared", 4, 6),
    ),
]

# A key result template: title, kind, start, target, unit of measure.
KR = tuple[str, str, float, float, str]
INC, DEC, ABOVE, BELOW, MILESTONE = "increase", "decrease", "stay_above", "stay_below", "milestone"
SCALE = "asteikko 1\u20135"  # "1–5", spelled so that the dash is unmistakable in the source

TEAM_OBJECTIVES: dict[str, list[tuple[str, list[KR]]]] = {
    "customer": [
        (
            "Asiakkaat saavat vastauksen nopeammin",
            [
                ("Puhelinpalvelun keskimääräinen jonotusaika", DEC, 12, 6, "min"),
                ("Chatissa ratkaistut yhteydenotot", INC, 55, 70, "%"),
                ("Samana päivänä hoidetut takaisinsoittopyynnöt", INC, 70, 90, "%"),
                ("Puhelinpalvelun vastausprosentti", INC, 80, 92, "%"),
            ],
        ),
        (
            "Asia hoituu yhdellä yhteydenotolla",
            [
                ("Ensimmäisellä yhteydenotolla ratkaistut asiat", INC, 62, 75, "%"),
                ("Uudelleen soittavien asiakkaiden osuus", DEC, 18, 12, "%"),
                ("Asioinnin sujuvuus asiakaskyselyssä", INC, 3.8, 4.2, SCALE),
                ("Ohjeet yleisimpiin kysymyksiin päivitetty", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Opastamme asiakkaat verkkoasiointiin",
            [
                ("Verkossa jätettyjen hakemusten osuus", INC, 68, 78, "%"),
                ("Verkkoasioinnin opastukset", INC, 40, 120, "kpl"),
                ("Paperihakemukset kuukaudessa", DEC, 900, 600, "kpl"),
                ("Opastusvideo julkaistu", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Palvelupisteessä asiointi on sujuvaa",
            [
                ("Asiakastyytyväisyys palvelupisteessä", INC, 4.0, 4.4, SCALE),
                ("Ajanvarauksella asioivien osuus", INC, 35, 55, "%"),
                ("Odotusaika palvelupisteessä", DEC, 18, 10, "min"),
                ("Asiakastyytyväisyys vähintään 4,0", ABOVE, 4.2, 4.0, SCALE),
            ],
        ),
        (
            "Tunnistamme tukea tarvitsevat asiakkaat",
            [
                ("Palveluohjaukseen ohjatut asiakkaat", INC, 20, 60, "kpl"),
                ("Palveluohjauksen koulutuksen suorittaneet", INC, 30, 100, "%"),
                ("Yhteistyöpalaverit hyvinvointialueen kanssa", INC, 0, 4, "kpl"),
                ("Toimintamalli otettu käyttöön", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Hyvinvoiva ja osaava tiimi",
            [
                ("Tiimin työhyvinvointi pulssikyselyssä", INC, 3.6, 4.0, SCALE),
                ("Perehdytetyt uudet asiantuntijat", INC, 0, 4, "kpl"),
                ("Tiimin osaamiskartoitus päivitetty", MILESTONE, 0, 1, ""),
                ("Sairauspoissaolot enintään 4 %", BELOW, 3.2, 4.0, "%"),
            ],
        ),
    ],
    "benefits": [
        (
            "Ratkaisemme hakemukset nopeammin",
            [
                ("Keskimääräinen käsittelyaika", DEC, 21, 14, "päivää"),
                ("Lakisääteisessä ajassa ratkaistut hakemukset", INC, 88, 97, "%"),
                ("Yli 30 päivää vanhat hakemukset", DEC, 240, 80, "kpl"),
                ("Ratkaistut hakemukset viikossa", INC, 420, 520, "kpl"),
            ],
        ),
        (
            "Päätökset ovat oikein ensimmäisellä kerralla",
            [
                ("Virheellisten päätösten osuus enintään 2 %", BELOW, 1.2, 2.0, "%"),
                ("Oikaisuvaatimukset kuukaudessa", DEC, 45, 30, "kpl"),
                ("Laatuauditoinnissa tarkistetut päätökset", INC, 0, 200, "kpl"),
                ("Lisäselvityspyyntöjen osuus", DEC, 24, 15, "%"),
            ],
        ),
        (
            "Asiakas ymmärtää saamansa päätöksen",
            [
                ("Päätösten ymmärrettävyys asiakaskyselyssä", INC, 3.4, 4.0, SCALE),
                ("Uudistetut päätöspohjat", INC, 0, 12, "kpl"),
                ("Selkokielisen perustelun sisältävät päätökset", INC, 40, 80, "%"),
                ("Päätöspohjien uudistus valmis", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Automaatio hoitaa rutiinit",
            [
                ("Automaattisesti ratkaistujen hakemusten osuus", INC, 18, 30, "%"),
                ("Käsittelijän työaika hakemusta kohden", DEC, 35, 25, "min"),
                ("Robotiikan tunnistamat puutteelliset hakemukset", INC, 0, 500, "kpl"),
                ("Automaatiokokeilu käynnissä", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Jaamme osaamista tiimien kesken",
            [
                ("Ristiinperehdytetyt käsittelijät", INC, 2, 8, "kpl"),
                ("Sparraukset muiden tiimien kanssa", INC, 0, 6, "kpl"),
                ("Päivitetyt ohjeet ohjepankissa", INC, 10, 40, "kpl"),
                ("Tiimin työhyvinvointi pulssikyselyssä", INC, 3.5, 3.9, SCALE),
            ],
        ),
        (
            "Ruuhkahuiput eivät kasvata jonoja",
            [
                ("Käsittelyjonon pituus", DEC, 1800, 1200, "kpl"),
                ("Ruuhkaennusteen osuvuus", INC, 70, 85, "%"),
                ("Käsittelyaika ruuhkassa enintään 21 päivää", BELOW, 18, 21, "päivää"),
                ("Kesäajan resurssisuunnitelma valmis", MILESTONE, 0, 1, ""),
            ],
        ),
    ],
    "solutions": [
        (
            "Verkossa asiointi on sujuvaa",
            [
                ("OmaKelan käytettävyysarvio", INC, 3.7, 4.2, SCALE),
                ("Kesken jääneiden verkkohakemusten osuus", DEC, 22, 14, "%"),
                ("Avoimet saavutettavuuspuutteet", DEC, 40, 10, "kpl"),
                ("Uusi hakemuslomake julkaistu", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Julkaisemme pienemmissä erissä ja useammin",
            [
                ("Tuotantojulkaisut kuukaudessa", INC, 2, 8, "kpl"),
                ("Muutoksen läpimenoaika", DEC, 30, 12, "päivää"),
                ("Julkaisuista aiheutuneet häiriöt enintään 2", BELOW, 1, 2, "kpl"),
                ("Automaattitestien kattavuus", INC, 55, 75, "%"),
            ],
        ),
        (
            "Järjestelmät ovat luotettavia",
            [
                ("Palvelun käytettävyys vähintään 99,5 %", ABOVE, 99.8, 99.5, "%"),
                ("Kriittisten häiriöiden korjausaika", DEC, 6, 3, "h"),
                ("Avoimet kriittiset haavoittuvuudet", DEC, 12, 0, "kpl"),
                ("Hälytysten automaattinen ohjaus käytössä", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Uusi tietoalusta palvelee etuuskäsittelyä",
            [
                ("Tietoalustalle siirretyt tietovirrat", INC, 3, 12, "kpl"),
                ("Raporttien ajoaika", DEC, 45, 10, "min"),
                ("Vanhan järjestelmän eräajot", DEC, 120, 80, "kpl"),
                ("Tietoalusta tuotannossa", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Käsittelijöiden työvälineet helpottavat työtä",
            [
                ("Käsittelijöiden tyytyväisyys työvälineisiin", INC, 3.1, 3.7, SCALE),
                ("Toteutetut kehitystoiveet", INC, 0, 25, "kpl"),
                ("Käsittelynäkymän avautumisaika", DEC, 4.0, 1.5, "s"),
                ("Uusi käsittelynäkymä pilotissa", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Tekninen velka pienenee",
            [
                ("Tekniseen velkaan käytetty kapasiteetti", INC, 5, 20, "%"),
                ("Vanhentuneet ohjelmistokomponentit", DEC, 35, 15, "kpl"),
                ("Koodikatselmoinnin läpimenoaika", DEC, 3, 1, "päivää"),
                ("Arkkitehtuurikuvaus päivitetty", MILESTONE, 0, 1, ""),
            ],
        ),
    ],
    "data": [
        (
            "Ennustamme hakemusmäärät luotettavasti",
            [
                ("Hakemusennusteen keskivirhe", DEC, 12, 6, "%"),
                ("Ennusteita hyödyntävät yksiköt", INC, 2, 6, "kpl"),
                ("Ennustemalli tuotannossa", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Tieto on helposti kaikkien käytössä",
            [
                ("Kelaston raporttien käyttäjät kuukaudessa", INC, 900, 1400, "kpl"),
                ("Itsepalveluraportit", INC, 4, 12, "kpl"),
                ("Tietopyyntöjen vastausaika", DEC, 10, 5, "päivää"),
            ],
        ),
        (
            "Löydämme asiakaspolkujen pullonkaulat",
            [
                ("Analysoidut asiakaspolut", INC, 0, 5, "kpl"),
                ("Toteutuneet kehitysehdotukset", INC, 0, 3, "kpl"),
                ("Prosessilouhinnan kokeilu valmis", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Analytiikka on vastuullista",
            [
                ("Dokumentoitujen mallien osuus", INC, 40, 100, "%"),
                ("Tehdyt tietosuojan vaikutustenarvioinnit", INC, 1, 4, "kpl"),
                ("Avoimet tietolaatupoikkeamat enintään 10", BELOW, 5, 10, "kpl"),
            ],
        ),
    ],
    "shared": [
        (
            "Rekrytoinnit sujuvat",
            [
                ("Rekrytoinnin läpimenoaika", DEC, 60, 40, "päivää"),
                ("Hakijakokemus", INC, 3.8, 4.2, SCALE),
                ("Perehdytysohjelman käyneet uudet työntekijät", INC, 70, 95, "%"),
            ],
        ),
        (
            "Laskut maksetaan ajallaan",
            [
                ("Eräpäivänä maksettujen laskujen osuus", INC, 91, 98, "%"),
                ("Sähköisten laskujen osuus", INC, 85, 95, "%"),
                ("Laskujen käsittelyaika", DEC, 8, 4, "päivää"),
                ("Myöhästyneet maksut enintään 20 kuukaudessa", BELOW, 12, 20, "kpl"),
            ],
        ),
        (
            "Sisäiset palvelut ovat helppoja käyttää",
            [
                ("Palvelupyynnön ratkaisuaika", DEC, 5, 2, "päivää"),
                ("Sisäisten asiakkaiden tyytyväisyys", INC, 3.7, 4.1, SCALE),
                ("Itsepalveluna hoidetut pyynnöt", INC, 30, 50, "%"),
                ("Palvelukuvaukset intranetissä", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "OKR-käytäntö leviää ja vahvistuu",
            [
                ("OKR:ia käyttävät tiimit", INC, 30, 80, "%"),
                ("Retrospektiivin pitäneet tiimit", INC, 40, 90, "%"),
                ("Soihdunkantajien verkostotapaamiset", INC, 0, 4, "kpl"),
                ("Oppikirjastoon julkaistut opit", INC, 10, 60, "kpl"),
            ],
        ),
        (
            "Työhyvinvointi vahvistuu",
            [
                ("Työhyvinvointi-indeksi henkilöstökyselyssä", INC, 3.6, 3.9, SCALE),
                ("Varhaisen tuen keskustelut", INC, 20, 40, "kpl"),
                ("Sairauspoissaolot enintään 4,5 %", BELOW, 3.8, 4.5, "%"),
                ("Esihenkilövalmennus käynnistetty", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Hankinnat tukevat vastuullisuutta",
            [
                ("Vastuullisuuskriteerit sisältävät hankinnat", INC, 40, 75, "%"),
                ("Hankintojen läpimenoaika", DEC, 120, 90, "päivää"),
                ("Hankintaohje päivitetty", MILESTONE, 0, 1, ""),
            ],
        ),
    ],
}

# Organization objectives: title, themes (by order), aspirational?, key results.
OrgObjective = tuple[str, tuple[int, ...], bool, list[KR]]
ORG_2021: list[OrgObjective] = [
    (
        "Asiakkaat luottavat Kelan palveluun",
        (1,),
        False,
        [
            ("Asiakastyytyväisyys verkkopalvelussa", INC, 3.9, 4.3, SCALE),
            ("Kelaan luottavien suomalaisten osuus", INC, 70, 75, "%"),
        ],
    ),
    (
        "Käsittelyajat lyhenevät",
        (3,),
        False,
        [
            ("Käsittelyajat: toimeentulotuen ratkaisut 7 päivässä", DEC, 9, 7, "päivää"),
            ("Lakisääteisessä ajassa ratkaistut hakemukset", INC, 92, 97, "%"),
            ("Virheellisten päätösten osuus", BELOW, 1.6, 2, "%"),
        ],
    ),
    (
        "Tieto ohjaa palvelujen kehittämistä",
        (2,),
        True,
        [
            ("Tiedolla johtamisen raportit käytössä toimialoilla", INC, 1, 4, "kpl"),
            ("Uusi tietoalusta käytössä", MILESTONE, 0, 1, ""),
        ],
    ),
    (
        "Kela on hyvä ja turvallinen työpaikka",
        (1, 3),
        False,
        [
            ("Henkilöstön työhyvinvointi-indeksi", INC, 3.6, 3.8, SCALE),
            ("Esihenkilötyön arvio henkilöstökyselyssä", INC, 3.7, 4.0, SCALE),
            ("Sairauspoissaolot", BELOW, 3.9, 4.5, "%"),
        ],
    ),
]
ORG_2022: list[OrgObjective] = [
    (
        "Asiakas saa asiansa hoidettua yhdellä yhteydenotolla",
        (1, 3),
        False,
        [
            ("Ensimmäisellä yhteydenotolla ratkaistut asiat", INC, 64, 72, "%"),
            ("Asiakastyytyväisyys verkkopalvelussa", INC, 4.0, 4.3, SCALE),
            ("Puhelinpalvelun keskimääräinen jonotusaika", DEC, 11, 7, "min"),
        ],
    ),
    (
        "Käsittelyajat pysyvät lakisääteisissä rajoissa",
        (3,),
        False,
        [
            ("Käsittelyajat: toimeentulotuen ratkaisut 7 päivässä", DEC, 8.5, 7, "päivää"),
            ("Virheellisten päätösten osuus", BELOW, 1.5, 2, "%"),
        ],
    ),
    (
        "Tieto kulkee asiakkaan hyväksi",
        (2,),
        False,
        [
            ("Uusi tietoalusta käytössä", MILESTONE, 0, 1, ""),
            ("Automaattisesti ratkaistujen hakemusten osuus", INC, 14, 20, "%"),
            ("Tietopyyntöjen vastausaika", DEC, 14, 8, "päivää"),
        ],
    ),
    (
        "Yhteiset tavoitteet purkavat siiloja",
        (1,),
        False,
        [
            ("OKR:ia käyttävät henkilöt", INC, 0, 1300, "kpl"),
            ("Tiimit, joilla on soihdunkantaja", INC, 0, 100, "%"),
            ("Retrospektiivin pitäneet tiimit", INC, 0, 90, "%"),
        ],
    ),
    (
        "Verkkoasiointi on asiakkaan ensisijainen kanava",
        (2, 1),
        True,
        [
            ("Verkossa jätettyjen hakemusten osuus", INC, 70, 85, "%"),
            ("Paperihakemukset kuukaudessa", DEC, 40000, 25000, "kpl"),
        ],
    ),
]
ORG_CURRENT: list[OrgObjective] = [
    (
        "Asiakkaat voivat luottaa siihen, että asia hoituu",
        (1,),
        False,
        [
            ("Asiakastyytyväisyys verkkopalvelussa", INC, 4.1, 4.4, SCALE),
            ("Ensimmäisellä yhteydenotolla ratkaistut asiat", INC, 70, 78, "%"),
            ("Kelaan luottavien suomalaisten osuus", INC, 74, 78, "%"),
        ],
    ),
    (
        "Päätökset syntyvät nopeasti ja oikein",
        (3, 1),
        False,
        [
            ("Käsittelyajat: toimeentulotuen ratkaisut 7 päivässä", DEC, 8, 7, "päivää"),
            ("Virheellisten päätösten osuus", BELOW, 1.4, 2, "%"),
            ("Lakisääteisessä ajassa ratkaistut hakemukset", INC, 94, 98, "%"),
        ],
    ),
    (
        "Tiedolla parempi asiakaskokemus",
        (2,),
        False,
        [
            ("Tietoalustalla toimivat raportit", INC, 20, 60, "kpl"),
            ("Asiakaspalautteen hyödyntäminen kehitystyössä", INC, 30, 60, "%"),
        ],
    ),
    (
        "Arjen turva ruuhkassakin",
        (3,),
        False,
        [
            ("Käsittelyjonon pituus ruuhkahuipussa", DEC, 60000, 40000, "kpl"),
            ("Puhelinpalvelun keskimääräinen jonotusaika", DEC, 10, 6, "min"),
            ("Palvelun käytettävyys", ABOVE, 99.7, 99.5, "%"),
        ],
    ),
    (
        "Teemme työtä yhdessä yli yksikkörajojen",
        (1, 2),
        False,
        [
            ("Yhteisiin tavoitteisiin osallistuvat tiimit", INC, 40, 75, "%"),
            ("Tavoitteiden valintaan osallistuneet", INC, 60, 80, "%"),
            ("Oppikirjastoon julkaistut opit", INC, 80, 300, "kpl"),
        ],
    ),
    (
        "Tekoäly vapauttaa aikaa asiakastyöhön",
        (2,),
        True,
        [
            ("Tekoälyavusteisesti käsitellyt hakemukset", INC, 0, 15, "%"),
            ("Tekoälyn käytön linjaus hyväksytty", MILESTONE, 0, 1, ""),
        ],
    ),
]
# Division objectives of the current year: title, indexes of ORG_CURRENT it serves, key results.
DIVISION_OBJECTIVES: dict[str, list[tuple[str, tuple[int, ...], list[KR]]]] = {
    "customer": [
        (
            "Yhteydenotot ratkeavat ensimmäisellä kerralla",
            (0, 2),
            [
                ("Ensimmäisellä yhteydenotolla ratkaistut asiat", INC, 68, 78, "%"),
                ("Uudelleen soittavien asiakkaiden osuus", DEC, 17, 12, "%"),
            ],
        ),
        (
            "Palvelukanavat tukevat toisiaan",
            (0, 3),
            [
                ("Chatissa ratkaistut yhteydenotot", INC, 60, 72, "%"),
                ("Puhelinpalvelun keskimääräinen jonotusaika", DEC, 10, 6, "min"),
                ("Ajanvarauksella asioivien osuus", INC, 40, 55, "%"),
            ],
        ),
    ],
    "benefits": [
        (
            "Käsittelyajat lyhenevät kaikissa etuuksissa",
            (1, 3),
            [
                ("Keskimääräinen käsittelyaika", DEC, 18, 13, "päivää"),
                ("Yli 30 päivää vanhat hakemukset", DEC, 9000, 4000, "kpl"),
            ],
        ),
        (
            "Päätösten laatu paranee",
            (1,),
            [
                ("Virheellisten päätösten osuus", BELOW, 1.4, 2, "%"),
                ("Oikaisuvaatimukset kuukaudessa", DEC, 2400, 1900, "kpl"),
            ],
        ),
    ],
    "solutions": [
        (
            "Asiointi- ja käsittelyjärjestelmät uudistuvat hallitusti",
            (2, 5),
            [
                ("Tuotantojulkaisut kuukaudessa", INC, 40, 80, "kpl"),
                ("Palvelun käytettävyys", ABOVE, 99.8, 99.5, "%"),
                ("Uusi käsittelynäkymä käytössä", MILESTONE, 0, 1, ""),
            ],
        ),
        (
            "Tietoalusta tukee päätöksentekoa",
            (2,),
            [
                ("Tietoalustalle siirretyt tietovirrat", INC, 20, 45, "kpl"),
                ("Itsepalveluraporttien käyttäjät", INC, 1500, 3000, "kpl"),
            ],
        ),
    ],
    "shared": [
        (
            "OKR-käytäntö kattaa koko Kelan",
            (4,),
            [
                ("OKR:ia käyttävät tiimit", INC, 60, 95, "%"),
                ("Retrospektiivin pitäneet tiimit", INC, 70, 95, "%"),
            ],
        ),
        (
            "Osaava ja hyvinvoiva henkilöstö",
            (4, 0),
            [
                ("Työhyvinvointi-indeksi henkilöstökyselyssä", INC, 3.7, 3.9, SCALE),
                ("Rekrytoinnin läpimenoaika", DEC, 55, 40, "päivää"),
            ],
        ),
    ],
}

NOTES = [
    "Jonotusajat lyhenivät, kun chat-palvelu otettiin käyttöön.",
    "Lomakausi hidasti käsittelyä.",
    "Uusi työnjako alkaa näkyä tuloksissa.",
    "Sairauspoissaolot veivät kapasiteettia, kirimme seuraavalla viikolla.",
    "Hakemusruuhka kasvatti jonoa, painopiste on jonon purussa.",
    "Saimme apua naapuritiimiltä, kiitos heille!",
    "Mittarin tieto päivittyy viiveellä, luku on arvio.",
    "Järjestelmäkatko maanantaina vaikutti lukuihin.",
    "Kokeilu on lupaava, jatketaan vielä kaksi viikkoa.",
    "Ohjeistus päivitettiin, asiakkailta tulee vähemmän lisäkysymyksiä.",
    "Tavoite näyttää tiukalta, keskustellaan seurantapalaverissa.",
    "Hyvä kehitys jatkuu.",
    "Ei suuria muutoksia edelliseen.",
    "Lakimuutos toi asiakkailta uusia kysymyksiä.",
    "Perehdytimme kaksi uutta kollegaa, tahti notkahti hetkeksi.",
    "Automaattinen tarkistus otettiin käyttöön osassa hakemuksia.",
    "Asiakaspalaute on ollut selvästi aiempaa myönteisempää.",
    "Olemme riippuvaisia toisen yksikön aikataulusta, asia on viety eteenpäin.",
    "Välitavoite saavutettiin etuajassa.",
    "Mittaustapaa tarkennettiin, luku ei ole täysin vertailukelpoinen aiempaan.",
    "Ruuhka helpotti kuun puolivälissä.",
    "Testasimme uutta toimintamallia yhdessä palvelupisteessä.",
    "Retrossa sovitut muutokset ovat käytössä.",
    "Priorisoimme kiireelliset toimeentulotukihakemukset, muu työ hidastui.",
    "Julkaisu siirtyi kahdella viikolla testauksen takia.",
    "Sovimme tiimissä viikoittaisesta lyhyestä tilannekatsauksesta.",
    "Luvut paranivat, mutta varmuus on vielä kohtalainen.",
    "Koulutuspäivä vei yhden päivän kapasiteetista.",
    "Uusi raportti näyttää jonon tilanteen päivittäin.",
    "Tavoitteeseen on vielä matkaa, mutta suunta on oikea.",
    "Yhteistyö asiakaspalvelun kanssa sujuu hyvin.",
]

# Cycle name, first day and last day (month, day): four-month tertials.
TERTIALS = [("T1", (1, 1), (4, 30)), ("T2", (5, 1), (8, 31)), ("T3", (9, 1), (12, 31))]

# Unit of measure -> decimals of a check-in value, and the range the value stays in.
VALUE_DECIMALS = {SCALE: 2, "%": 1, "päivää": 1, "min": 1, "h": 1, "s": 2, "kpl": 0, "": 0}
VALUE_RANGE = {SCALE: (1.0, 5.0), "%": (0.0, 100.0)}


# --- Result --------------------------------------------------------------------------------------
