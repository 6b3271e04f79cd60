"""Demo catalogue of Nordlys Handel AS, a wholesaler of outdoor and office goods: a few
hundred products in a category tree, services sold by the hour, food at 15 % VAT, books at
0 %, courses outside the VAT act, and two price lists ("Forhandler" with quantity breaks in
NOK, "EUR export" in euro) plus an expired campaign list.

`load()` is deterministic and idempotent: products are keyed by SKU, categories by path,
price lists by name, prices by (list, product, from quantity); running it twice adds
nothing. It writes what the services would write, audit entries included, with bulk
inserts; it publishes no events (a bulk demo load is not business history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from stdnum import ean

from samspill.catalog.models import Category, PriceList, PriceListItem, Product, Unit
from samspill.catalog.services.common import bulk_audit, product_snapshot
from samspill.platform import audit


@dataclass(frozen=True)
class _Item:
    sku: str
    name_nb: str
    name_en: str
    category: str  # path "Friluft / Telt"
    unit: str
    price: Decimal
    vat: str = "standard"
    kind: str = Product.Type.STOCKABLE
    description: str = ""


# (sku stem, nb, en, category path, unit, base price, vat, type, variants)
# Variants multiply a line into several products: (suffix, nb suffix, en suffix, price factor).
SIZES = [
    ("S", "S", "S", "1"),
    ("M", "M", "M", "1"),
    ("L", "L", "L", "1"),
    ("XL", "XL", "XL", "1.05"),
]
COLOURS = [("SV", "svart", "black", "1"), ("BL", "blå", "blue", "1"), ("RD", "rød", "red", "1")]
CAPACITY = [
    ("1", "1 person", "1 person", "1"),
    ("2", "2 personer", "2 persons", "1.35"),
    ("3", "3 personer", "3 persons", "1.7"),
    ("4", "4 personer", "4 persons", "2.1"),
]
VOLUMES = [
    ("30", "30 l", "30 l", "1"),
    ("45", "45 l", "45 l", "1.25"),
    ("65", "65 l", "65 l", "1.55"),
]
PACKS = [("10", "10-pk", "10-pack", "1"), ("50", "50-pk", "50-pack", "4.2")]

SIZE_COLOUR = [
    (f"{s}-{c}", f"{sn}, {cn}", f"{se}, {ce}", sf)
    for s, sn, se, sf in SIZES
    for c, cn, ce, _cf in COLOURS
]
SHOES = [(str(n), f"str. {n}", f"size {n}", "1") for n in range(37, 47)]
USB = [
    ("32", "32 GB", "32 GB", "1"),
    ("64", "64 GB", "64 GB", "1.4"),
    ("128", "128 GB", "128 GB", "2"),
]

LINES: list[tuple] = [
    # Outdoor
    (
        "TELT-TUR",
        "Turtelt",
        "Trekking tent",
        "Friluft / Telt",
        "pcs",
        "1890",
        "standard",
        "stockable",
        CAPACITY,
    ),
    (
        "TELT-FJELL",
        "Fjelltelt",
        "Mountain tent",
        "Friluft / Telt",
        "pcs",
        "3490",
        "standard",
        "stockable",
        CAPACITY,
    ),
    (
        "TELT-TUNNEL",
        "Tunneltelt",
        "Tunnel tent",
        "Friluft / Telt",
        "pcs",
        "2790",
        "standard",
        "stockable",
        CAPACITY,
    ),
    (
        "SOVP-SOM",
        "Sovepose sommer",
        "Summer sleeping bag",
        "Friluft / Soveposer",
        "pcs",
        "899",
        "standard",
        "stockable",
        SIZES[:3],
    ),
    (
        "SOVP-3S",
        "Sovepose tresesong",
        "Three-season sleeping bag",
        "Friluft / Soveposer",
        "pcs",
        "1690",
        "standard",
        "stockable",
        SIZES[:3],
    ),
    (
        "SOVP-VIN",
        "Sovepose vinter",
        "Winter sleeping bag",
        "Friluft / Soveposer",
        "pcs",
        "2990",
        "standard",
        "stockable",
        SIZES[:3],
    ),
    (
        "LIGGU",
        "Liggeunderlag",
        "Sleeping mat",
        "Friluft / Soveposer",
        "pcs",
        "349",
        "standard",
        "stockable",
        COLOURS,
    ),
    (
        "SEKK-TUR",
        "Tursekk",
        "Hiking backpack",
        "Friluft / Ryggsekker",
        "pcs",
        "1290",
        "standard",
        "stockable",
        VOLUMES,
    ),
    (
        "SEKK-DAG",
        "Dagstursekk",
        "Daypack",
        "Friluft / Ryggsekker",
        "pcs",
        "690",
        "standard",
        "stockable",
        COLOURS,
    ),
    (
        "JAKKE-SKALL",
        "Skalljakke",
        "Shell jacket",
        "Friluft / Klær",
        "pcs",
        "2490",
        "standard",
        "stockable",
        SIZES,
    ),
    (
        "JAKKE-DUN",
        "Dunjakke",
        "Down jacket",
        "Friluft / Klær",
        "pcs",
        "2190",
        "standard",
        "stockable",
        SIZES,
    ),
    (
        "BUKSE-TUR",
        "Turbukse",
        "Hiking trousers",
        "Friluft / Klær",
        "pcs",
        "999",
        "standard",
        "stockable",
        SIZES,
    ),
    (
        "ULL-TRØYE",
        "Ullundertrøye",
        "Wool base layer top",
        "Friluft / Klær",
        "pcs",
        "599",
        "standard",
        "stockable",
        SIZES,
    ),
    (
        "ULL-LUE",
        "Ullue",
        "Wool beanie",
        "Friluft / Klær",
        "pcs",
        "249",
        "standard",
        "stockable",
        COLOURS,
    ),
    (
        "VOTT",
        "Votter",
        "Mittens",
        "Friluft / Klær",
        "pair",
        "299",
        "standard",
        "stockable",
        SIZES[:3],
    ),
    (
        "SOKK-ULL",
        "Ullsokker",
        "Wool socks",
        "Friluft / Klær",
        "pair",
        "149",
        "standard",
        "stockable",
        SIZES[:3],
    ),
    (
        "PRIMUS",
        "Turprimus",
        "Camping stove",
        "Friluft / Kokeutstyr",
        "pcs",
        "749",
        "standard",
        "stockable",
        None,
    ),
    (
        "KJELE",
        "Kjelesett",
        "Cook set",
        "Friluft / Kokeutstyr",
        "pcs",
        "549",
        "standard",
        "stockable",
        None,
    ),
    (
        "GASS-230",
        "Gassboks 230 g",
        "Gas canister 230 g",
        "Friluft / Kokeutstyr",
        "pcs",
        "69",
        "standard",
        "consumable",
        None,
    ),
    (
        "GASS-450",
        "Gassboks 450 g",
        "Gas canister 450 g",
        "Friluft / Kokeutstyr",
        "pcs",
        "109",
        "standard",
        "consumable",
        None,
    ),
    (
        "TERMOS",
        "Termos 1 l",
        "Vacuum flask 1 l",
        "Friluft / Kokeutstyr",
        "pcs",
        "399",
        "standard",
        "stockable",
        COLOURS,
    ),
    (
        "HODELYKT",
        "Hodelykt",
        "Headlamp",
        "Friluft / Tilbehør",
        "pcs",
        "449",
        "standard",
        "stockable",
        None,
    ),
    (
        "KOMPASS",
        "Kompass",
        "Compass",
        "Friluft / Tilbehør",
        "pcs",
        "329",
        "standard",
        "stockable",
        None,
    ),
    (
        "KART",
        "Turkart",
        "Hiking map",
        "Friluft / Tilbehør",
        "pcs",
        "199",
        "zero",
        "stockable",
        None,
    ),
    (
        "FØRSTEHJ",
        "Førstehjelpsskrin",
        "First aid kit",
        "Friluft / Tilbehør",
        "pcs",
        "279",
        "standard",
        "stockable",
        None,
    ),
    (
        "STAV",
        "Turstaver",
        "Trekking poles",
        "Friluft / Tilbehør",
        "pair",
        "699",
        "standard",
        "stockable",
        None,
    ),
    (
        "SKI-FJELL",
        "Fjellski",
        "Backcountry skis",
        "Friluft / Ski",
        "pair",
        "3990",
        "standard",
        "stockable",
        None,
    ),
    (
        "SKI-STAV",
        "Skistaver",
        "Ski poles",
        "Friluft / Ski",
        "pair",
        "549",
        "standard",
        "stockable",
        None,
    ),
    (
        "SKISMØRING",
        "Skismøring",
        "Ski wax",
        "Friluft / Ski",
        "pcs",
        "129",
        "standard",
        "consumable",
        COLOURS,
    ),
    # Office
    (
        "PAPIR-A4",
        "Kopipapir A4 80 g (500 ark)",
        "Copy paper A4 80 g (500 sheets)",
        "Kontor / Papir",
        "pack",
        "59",
        "standard",
        "consumable",
        None,
    ),
    (
        "PAPIR-A3",
        "Kopipapir A3 80 g (500 ark)",
        "Copy paper A3 80 g (500 sheets)",
        "Kontor / Papir",
        "pack",
        "119",
        "standard",
        "consumable",
        None,
    ),
    (
        "PAPIR-A4-ESKE",
        "Kopipapir A4, eske à 5 pakker",
        "Copy paper A4, box of 5 packs",
        "Kontor / Papir",
        "box",
        "279",
        "standard",
        "consumable",
        None,
    ),
    (
        "BLOKK",
        "Notatblokk A5",
        "Notepad A5",
        "Kontor / Papir",
        "pcs",
        "35",
        "standard",
        "consumable",
        PACKS,
    ),
    (
        "KONV-C5",
        "Konvolutter C5",
        "Envelopes C5",
        "Kontor / Papir",
        "pack",
        "89",
        "standard",
        "consumable",
        PACKS,
    ),
    (
        "PENN-KULE",
        "Kulepenn",
        "Ballpoint pen",
        "Kontor / Skriveutstyr",
        "pack",
        "49",
        "standard",
        "consumable",
        COLOURS,
    ),
    (
        "PENN-GEL",
        "Gelpenn",
        "Gel pen",
        "Kontor / Skriveutstyr",
        "pack",
        "69",
        "standard",
        "consumable",
        COLOURS,
    ),
    (
        "TUSJ-WB",
        "Tavletusj",
        "Whiteboard marker",
        "Kontor / Skriveutstyr",
        "pack",
        "79",
        "standard",
        "consumable",
        COLOURS,
    ),
    (
        "MERKEP",
        "Merkepenn",
        "Highlighter",
        "Kontor / Skriveutstyr",
        "pack",
        "59",
        "standard",
        "consumable",
        None,
    ),
    (
        "BLYANT",
        "Blyant HB",
        "Pencil HB",
        "Kontor / Skriveutstyr",
        "pack",
        "39",
        "standard",
        "consumable",
        PACKS,
    ),
    (
        "PERM-A4",
        "Ringperm A4",
        "Ring binder A4",
        "Kontor / Rekvisita",
        "pcs",
        "45",
        "standard",
        "consumable",
        COLOURS,
    ),
    (
        "STIFT",
        "Stiftemaskin",
        "Stapler",
        "Kontor / Rekvisita",
        "pcs",
        "189",
        "standard",
        "stockable",
        None,
    ),
    (
        "STIFTER",
        "Stifter 24/6",
        "Staples 24/6",
        "Kontor / Rekvisita",
        "box",
        "29",
        "standard",
        "consumable",
        None,
    ),
    (
        "TAPE",
        "Tape 19 mm",
        "Tape 19 mm",
        "Kontor / Rekvisita",
        "pcs",
        "25",
        "standard",
        "consumable",
        PACKS,
    ),
    ("SAKS", "Saks", "Scissors", "Kontor / Rekvisita", "pcs", "79", "standard", "stockable", None),
    (
        "HULLEM",
        "Hullemaskin",
        "Hole punch",
        "Kontor / Rekvisita",
        "pcs",
        "149",
        "standard",
        "stockable",
        None,
    ),
    (
        "TONER-SV",
        "Toner svart",
        "Toner black",
        "Kontor / Rekvisita",
        "pcs",
        "890",
        "standard",
        "consumable",
        None,
    ),
    (
        "STOL-KONTOR",
        "Kontorstol",
        "Office chair",
        "Kontor / Møbler",
        "pcs",
        "3490",
        "standard",
        "stockable",
        COLOURS,
    ),
    (
        "PULT-HEV",
        "Hev/senk-pult 160 cm",
        "Sit-stand desk 160 cm",
        "Kontor / Møbler",
        "pcs",
        "5990",
        "standard",
        "stockable",
        None,
    ),
    (
        "SKAP-ARKIV",
        "Arkivskap",
        "Filing cabinet",
        "Kontor / Møbler",
        "pcs",
        "2490",
        "standard",
        "stockable",
        None,
    ),
    (
        "TAVLE-WB",
        "Whiteboard 120x90",
        "Whiteboard 120x90",
        "Kontor / Møbler",
        "pcs",
        "1190",
        "standard",
        "stockable",
        None,
    ),
    (
        "LAMPE-PULT",
        "Pultlampe LED",
        "LED desk lamp",
        "Kontor / Møbler",
        "pcs",
        "549",
        "standard",
        "stockable",
        None,
    ),
    (
        "KABEL",
        "Kabelkanal",
        "Cable duct",
        "Kontor / Møbler",
        "m",
        "89",
        "standard",
        "stockable",
        None,
    ),
    (
        "FLEECE",
        "Fleecejakke",
        "Fleece jacket",
        "Friluft / Klær",
        "pcs",
        "899",
        "standard",
        "stockable",
        SIZE_COLOUR,
    ),
    (
        "REGNJAKKE",
        "Regnjakke",
        "Rain jacket",
        "Friluft / Klær",
        "pcs",
        "1290",
        "standard",
        "stockable",
        SIZE_COLOUR,
    ),
    (
        "REGNBUKSE",
        "Regnbukse",
        "Rain trousers",
        "Friluft / Klær",
        "pcs",
        "799",
        "standard",
        "stockable",
        SIZES,
    ),
    (
        "TURSKO",
        "Turstøvler",
        "Hiking boots",
        "Friluft / Sko",
        "pair",
        "2290",
        "standard",
        "stockable",
        SHOES,
    ),
    (
        "LØPESKO",
        "Terrengløpesko",
        "Trail running shoes",
        "Friluft / Sko",
        "pair",
        "1590",
        "standard",
        "stockable",
        SHOES,
    ),
    (
        "GAMASJER",
        "Gamasjer",
        "Gaiters",
        "Friluft / Sko",
        "pair",
        "449",
        "standard",
        "stockable",
        SIZES[:3],
    ),
    (
        "HENGEKØYE",
        "Hengekøye",
        "Hammock",
        "Friluft / Telt",
        "pcs",
        "599",
        "standard",
        "stockable",
        COLOURS,
    ),
    (
        "TARP",
        "Tarp 3x3 m",
        "Tarp 3x3 m",
        "Friluft / Telt",
        "pcs",
        "890",
        "standard",
        "stockable",
        None,
    ),
    (
        "VANNFILTER",
        "Vannfilter",
        "Water filter",
        "Friluft / Tilbehør",
        "pcs",
        "549",
        "standard",
        "stockable",
        None,
    ),
    (
        "DRIKKESYS",
        "Drikkesystem 2 l",
        "Hydration bladder 2 l",
        "Friluft / Tilbehør",
        "pcs",
        "349",
        "standard",
        "stockable",
        None,
    ),
    (
        "SITTEUNDERLAG",
        "Sitteunderlag",
        "Sit pad",
        "Friluft / Tilbehør",
        "pcs",
        "99",
        "standard",
        "stockable",
        COLOURS,
    ),
    (
        "FISKESTANG",
        "Fiskestang",
        "Fishing rod",
        "Friluft / Fiske",
        "pcs",
        "699",
        "standard",
        "stockable",
        [
            ("210", "210 cm", "210 cm", "1"),
            ("240", "240 cm", "240 cm", "1.15"),
            ("270", "270 cm", "270 cm", "1.3"),
        ],
    ),
    (
        "SNELLE",
        "Fiskesnelle",
        "Fishing reel",
        "Friluft / Fiske",
        "pcs",
        "499",
        "standard",
        "stockable",
        None,
    ),
    (
        "SLUK",
        "Sluk",
        "Spoon lure",
        "Friluft / Fiske",
        "pcs",
        "59",
        "standard",
        "consumable",
        COLOURS,
    ),
    (
        "FISKESNØRE",
        "Fiskesnøre 0,30 mm",
        "Fishing line 0.30 mm",
        "Friluft / Fiske",
        "m",
        "2",
        "standard",
        "consumable",
        None,
    ),
    (
        "SKJERM-24",
        "Skjerm 24 tommer",
        "Monitor 24 inch",
        "Kontor / Data",
        "pcs",
        "2190",
        "standard",
        "stockable",
        None,
    ),
    (
        "SKJERM-27",
        "Skjerm 27 tommer",
        "Monitor 27 inch",
        "Kontor / Data",
        "pcs",
        "3290",
        "standard",
        "stockable",
        None,
    ),
    (
        "TASTATUR",
        "Tastatur trådløst",
        "Wireless keyboard",
        "Kontor / Data",
        "pcs",
        "599",
        "standard",
        "stockable",
        None,
    ),
    (
        "MUS",
        "Mus trådløs",
        "Wireless mouse",
        "Kontor / Data",
        "pcs",
        "299",
        "standard",
        "stockable",
        COLOURS,
    ),
    ("HEADSET", "Headset", "Headset", "Kontor / Data", "pcs", "890", "standard", "stockable", None),
    (
        "USB-MINNE",
        "Minnepenn",
        "USB flash drive",
        "Kontor / Data",
        "pcs",
        "99",
        "standard",
        "stockable",
        USB,
    ),
    (
        "BATTERI-AA",
        "Batterier AA",
        "Batteries AA",
        "Kontor / Rekvisita",
        "pack",
        "79",
        "standard",
        "consumable",
        PACKS,
    ),
    (
        "BATTERI-AAA",
        "Batterier AAA",
        "Batteries AAA",
        "Kontor / Rekvisita",
        "pack",
        "79",
        "standard",
        "consumable",
        PACKS,
    ),
    (
        "LAPPER",
        "Gule lapper",
        "Sticky notes",
        "Kontor / Papir",
        "pack",
        "45",
        "standard",
        "consumable",
        COLOURS,
    ),
    (
        "PLASTLOMME",
        "Plastlommer A4 (100 stk)",
        "Sheet protectors A4 (100)",
        "Kontor / Rekvisita",
        "pack",
        "69",
        "standard",
        "consumable",
        None,
    ),
    (
        "ETIKETT",
        "Etiketter 70x37 (2400 stk)",
        "Labels 70x37 (2400)",
        "Kontor / Papir",
        "pack",
        "249",
        "standard",
        "consumable",
        None,
    ),
    (
        "BOKHYLLE",
        "Bokhylle 80 cm",
        "Bookcase 80 cm",
        "Kontor / Møbler",
        "pcs",
        "1490",
        "standard",
        "stockable",
        COLOURS,
    ),
    (
        "MØTEBORD",
        "Møtebord 240 cm",
        "Meeting table 240 cm",
        "Kontor / Møbler",
        "pcs",
        "8990",
        "standard",
        "stockable",
        None,
    ),
    (
        "SKILLEVEGG",
        "Skillevegg lydabsorberende",
        "Acoustic screen",
        "Kontor / Møbler",
        "pcs",
        "2790",
        "standard",
        "stockable",
        COLOURS,
    ),
    (
        "KAKAO",
        "Kakao 1 kg",
        "Cocoa 1 kg",
        "Mat og drikke / Kaffe og te",
        "pcs",
        "119",
        "food",
        "consumable",
        None,
    ),
    (
        "SUKKERBIT",
        "Sukkerbiter 1 kg",
        "Sugar cubes 1 kg",
        "Mat og drikke / Kaffe og te",
        "pcs",
        "39",
        "food",
        "consumable",
        None,
    ),
    (
        "KJEKS",
        "Kjeks til møtet",
        "Biscuits for meetings",
        "Mat og drikke / Snacks",
        "pack",
        "49",
        "food",
        "consumable",
        None,
    ),
    (
        "FRUKT",
        "Fruktkurv",
        "Fruit basket",
        "Mat og drikke / Snacks",
        "pcs",
        "349",
        "food",
        "consumable",
        None,
    ),
    (
        "SAFT",
        "Solbærsaft 1 l",
        "Blackcurrant cordial 1 l",
        "Mat og drikke / Snacks",
        "l",
        "45",
        "food",
        "consumable",
        None,
    ),
    # Food and drink (15 %)
    (
        "KAFFE-FILTER",
        "Filterkaffe 500 g",
        "Filter coffee 500 g",
        "Mat og drikke / Kaffe og te",
        "pcs",
        "89",
        "food",
        "consumable",
        None,
    ),
    (
        "KAFFE-BØNNER",
        "Kaffebønner 1 kg",
        "Coffee beans 1 kg",
        "Mat og drikke / Kaffe og te",
        "pcs",
        "249",
        "food",
        "consumable",
        None,
    ),
    (
        "KAFFE-PUTER",
        "Kaffeputer (36 stk)",
        "Coffee pods (36)",
        "Mat og drikke / Kaffe og te",
        "pack",
        "129",
        "food",
        "consumable",
        None,
    ),
    (
        "TE-SORT",
        "Sort te (100 poser)",
        "Black tea (100 bags)",
        "Mat og drikke / Kaffe og te",
        "pack",
        "79",
        "food",
        "consumable",
        None,
    ),
    (
        "TE-GRØNN",
        "Grønn te (100 poser)",
        "Green tea (100 bags)",
        "Mat og drikke / Kaffe og te",
        "pack",
        "89",
        "food",
        "consumable",
        None,
    ),
    (
        "TURMAT-PASTA",
        "Turmat pasta bolognese",
        "Trail meal pasta bolognese",
        "Mat og drikke / Turmat",
        "pcs",
        "119",
        "food",
        "consumable",
        None,
    ),
    (
        "TURMAT-CURRY",
        "Turmat kylling curry",
        "Trail meal chicken curry",
        "Mat og drikke / Turmat",
        "pcs",
        "119",
        "food",
        "consumable",
        None,
    ),
    (
        "TURMAT-GRYTE",
        "Turmat viltgryte",
        "Trail meal game stew",
        "Mat og drikke / Turmat",
        "pcs",
        "129",
        "food",
        "consumable",
        None,
    ),
    (
        "TURMAT-GROT",
        "Turmat havregrøt",
        "Trail meal porridge",
        "Mat og drikke / Turmat",
        "pcs",
        "69",
        "food",
        "consumable",
        None,
    ),
    (
        "SJOKO",
        "Kokesjokolade 200 g",
        "Cooking chocolate 200 g",
        "Mat og drikke / Snacks",
        "pcs",
        "39",
        "food",
        "consumable",
        None,
    ),
    (
        "NØTTER",
        "Nøtteblanding 500 g",
        "Mixed nuts 500 g",
        "Mat og drikke / Snacks",
        "pcs",
        "89",
        "food",
        "consumable",
        None,
    ),
    (
        "KNEKKEBRØD",
        "Knekkebrød",
        "Crispbread",
        "Mat og drikke / Snacks",
        "pcs",
        "35",
        "food",
        "consumable",
        None,
    ),
    (
        "SPORTSDRIKK",
        "Sportsdrikk pulver 1 kg",
        "Sports drink powder 1 kg",
        "Mat og drikke / Snacks",
        "kg",
        "189",
        "food",
        "consumable",
        None,
    ),
    (
        "VANN-FLASKE",
        "Kildevann 0,5 l (24 stk)",
        "Spring water 0.5 l (24)",
        "Mat og drikke / Snacks",
        "box",
        "179",
        "food",
        "consumable",
        None,
    ),
    # Books (0 %)
    (
        "BOK-TOPPER",
        "Norges fjelltopper",
        "Norway's mountain peaks",
        "Bøker",
        "pcs",
        "399",
        "zero",
        "stockable",
        None,
    ),
    (
        "BOK-TURGUIDE",
        "Turguide Jotunheimen",
        "Hiking guide Jotunheimen",
        "Bøker",
        "pcs",
        "349",
        "zero",
        "stockable",
        None,
    ),
    (
        "BOK-KONTOR",
        "Det ryddige kontoret",
        "The tidy office",
        "Bøker",
        "pcs",
        "299",
        "zero",
        "stockable",
        None,
    ),
]

SERVICES = [
    ("INST-T", "Installasjon (time)", "Installation (hour)", "Tjenester", "h", "950", "standard"),
    (
        "MONT-MØBEL",
        "Montering av kontormøbler (time)",
        "Office furniture assembly (hour)",
        "Tjenester",
        "h",
        "890",
        "standard",
    ),
    (
        "KONS-T",
        "Rådgivning innredning (time)",
        "Interior planning advice (hour)",
        "Tjenester",
        "h",
        "1250",
        "standard",
    ),
    (
        "SERV-TELT",
        "Service og reparasjon av telt",
        "Tent service and repair",
        "Tjenester",
        "pcs",
        "690",
        "standard",
    ),
    ("SLIP-SKI", "Skisliping", "Ski grinding", "Tjenester", "pcs", "450", "standard"),
    ("FRAKT", "Frakt", "Freight", "Tjenester", "pcs", "149", "standard"),
    ("FRAKT-PALL", "Frakt per pall", "Freight per pallet", "Tjenester", "pcs", "1290", "standard"),
    (
        "UTLEIE-TELT",
        "Utleie av telt (døgn)",
        "Tent rental (day)",
        "Tjenester",
        "day",
        "390",
        "standard",
    ),
    (
        "KURS-FØRSTEHJ",
        "Førstehjelpskurs (dag)",
        "First aid course (day)",
        "Tjenester / Kurs",
        "day",
        "2490",
        "exempt",
    ),
    (
        "KURS-FRILUFT",
        "Kurs: Trygg på tur (dag)",
        "Course: Safe outdoors (day)",
        "Tjenester / Kurs",
        "day",
        "1990",
        "exempt",
    ),
    (
        "BUSS-TUR",
        "Bussbillett fellestur",
        "Bus ticket, group trip",
        "Tjenester",
        "pcs",
        "450",
        "low",
    ),
]

PRICE_LISTS = [
    # name, currency, valid from, valid to, active, notes
    ("Forhandler", "NOK", date(2026, 1, 1), None, True, "Forhandlere og butikker med avtale."),
    (
        "EUR export",
        "EUR",
        date(2026, 1, 1),
        date(2026, 12, 31),
        True,
        "Eksport til EU, priser i euro.",
    ),
    (
        "Vinterkampanje 2025",
        "NOK",
        date(2025, 11, 1),
        date(2026, 1, 31),
        False,
        "Avsluttet kampanje.",
    ),
]
EUR_RATE = Decimal("11.50")  # NOK per EUR used to set the export prices once


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _round_price(value: Decimal) -> Decimal:
    """Shelf prices end in whole kroner (x90 for larger amounts)."""
    if value >= 1000:
        return (value / 10).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 10 - Decimal("10")
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def plan() -> list[_Item]:
    items: list[_Item] = []
    for stem, nb, en, category, unit, price, vat, kind, variants in LINES:
        base = Decimal(price)
        if not variants:
            items.append(_Item(stem, nb, en, category, unit, base, vat, kind))
            continue
        for suffix, nb_suffix, en_suffix, factor in variants:
            items.append(
                _Item(
                    f"{stem}-{suffix}",
                    f"{nb}, {nb_suffix}",
                    f"{en}, {en_suffix}",
                    category,
                    unit,
                    _round_price(base * Decimal(factor)),
                    vat,
                    kind,
                )
            )
    for sku, nb, en, category, unit, price, vat in SERVICES:
        items.append(_Item(sku, nb, en, category, unit, Decimal(price), vat, Product.Type.SERVICE))
    return items


def _barcode(index: int) -> str:
    twelve = f"70381234{index:04d}"
    return twelve + ean.calc_check_digit(twelve)


def _categories(paths: set[str], actor) -> dict[str, Category]:
    """Every category on the paths, created top-down when missing."""
    existing: dict[str, Category] = {}
    rows = {c.pk: c for c in Category.objects.all()}
    for category in rows.values():
        names: list[str] = []
        node: Category | None = category
        while node is not None:
            names.append(node.name)
            node = rows.get(node.parent_id) if node.parent_id else None
        existing[" / ".join(reversed(names))] = category
    for path in sorted(paths):
        parts = path.split(" / ")
        for depth in range(1, len(parts) + 1):
            key = " / ".join(parts[:depth])
            if key in existing:
                continue
            parent = existing.get(" / ".join(parts[: depth - 1])) if depth > 1 else None
            category = Category.objects.create(name=parts[depth - 1], parent=parent)
            audit.record("create", category, actor=actor, changes={"source": [None, "demo data"]})
            existing[key] = category
    return existing


@transaction.atomic
def load(*, actor=None, extra: int = 0) -> dict[str, int]:
    """Insert the demo catalogue that is not there yet. `extra` adds that many generated
    office articles (for benchmarks). Returns what was added."""
    items = plan()
    for n in range(extra):
        items.append(
            _Item(
                f"ART-{n:06d}",
                f"Kontorartikkel {n}",
                f"Office article {n}",
                "Kontor / Rekvisita",
                "pcs",
                Decimal(10 + n % 990),
                "standard",
                Product.Type.CONSUMABLE,
            )
        )
    categories = _categories({i.category for i in items}, actor)
    units = {u.code: u for u in Unit.objects.all()}
    existing = set(
        Product.objects.filter(sku__in=[i.sku for i in items]).values_list("sku", flat=True)
    )
    taken_barcodes = set(Product.objects.exclude(barcode="").values_list("barcode", flat=True))
    new = []
    for index, item in enumerate(items):
        if item.sku in existing:
            continue
        barcode = ""
        if item.kind != Product.Type.SERVICE and index < 10_000:
            barcode = _barcode(index)
            if barcode in taken_barcodes:
                barcode = ""
        new.append(
            Product(
                sku=item.sku,
                name_nb=item.name_nb,
                name_en=item.name_en,
                description=item.description,
                product_type=item.kind,
                unit=units[item.unit],
                category=categories[item.category],
                sales_price=_cents(item.price),
                cost_price=_cents(item.price * Decimal("0.55")),
                vat_category=item.vat,
                barcode=barcode,
            )
        )
    Product.objects.bulk_create(new, batch_size=1000)
    if new and not new[0].pk:  # backends that do not return ids from bulk inserts
        by_sku = dict(Product.objects.filter(sku__in=[p.sku for p in new]).values_list("sku", "pk"))
        for product in new:
            product.pk = by_sku[product.sku]
    bulk_audit(
        [("create", p, audit.diff({}, product_snapshot(p))) for p in new],
        actor,
    )

    lists = {}
    for name, currency, valid_from, valid_to, active, notes in PRICE_LISTS:
        price_list = PriceList.objects.filter(name=name).first()
        if price_list is None:
            price_list = PriceList.objects.create(
                name=name,
                currency=currency,
                valid_from=valid_from,
                valid_to=valid_to,
                is_active=active,
                notes=notes,
            )
            audit.record("create", price_list, actor=actor, changes={"source": [None, "demo data"]})
        lists[name] = price_list

    goods = list(
        Product.objects.filter(sku__in=[i.sku for i in plan()])
        .exclude(product_type=Product.Type.SERVICE)
        .only("pk", "sales_price", "product_type", "vat_category")
    )
    wanted: list[PriceListItem] = []
    for product in goods:
        base = product.sales_price
        for quantity, share in (("1", "0.85"), ("10", "0.80"), ("50", "0.75")):
            wanted.append(
                PriceListItem(
                    price_list=lists["Forhandler"],
                    product=product,
                    min_quantity=Decimal(quantity),
                    unit_price=_cents(base * Decimal(share)),
                )
            )
        if product.vat_category != "food":  # no food exports
            for quantity, share in (("1", "1"), ("20", "0.9")):
                wanted.append(
                    PriceListItem(
                        price_list=lists["EUR export"],
                        product=product,
                        min_quantity=Decimal(quantity),
                        unit_price=_cents(base * Decimal(share) / EUR_RATE),
                    )
                )
        if product.product_type == Product.Type.STOCKABLE and product.pk % 4 == 0:
            wanted.append(
                PriceListItem(
                    price_list=lists["Vinterkampanje 2025"],
                    product=product,
                    min_quantity=Decimal("1"),
                    unit_price=_cents(base * Decimal("0.7")),
                )
            )
    have = set(
        PriceListItem.objects.filter(price_list__in=lists.values()).values_list(
            "price_list_id", "product_id", "min_quantity"
        )
    )
    missing = [i for i in wanted if (i.price_list.pk, i.product.pk, i.min_quantity) not in have]
    PriceListItem.objects.bulk_create(missing, batch_size=1000)
    return {"products": len(new), "prices": len(missing)}
