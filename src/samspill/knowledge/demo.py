"""Demo knowledge base of Nordlys Handel AS: the help centre's categories (orders and
delivery, returns, invoices and payment) with public articles in Norwegian and English
(linked as translations), an internal routine for customer service and a draft. Everything
goes through the services; articles are keyed by their address, so running it again adds
nothing."""

from __future__ import annotations

from samspill.knowledge import services
from samspill.knowledge.models import Article, Category

CATEGORIES = [
    # slug, nb, en, description nb, description en, icon
    (
        "bestilling-og-levering",
        "Bestilling og levering",
        "Orders and delivery",
        "Leveringstider, frakt og sporing av pakker.",
        "Delivery times, freight and tracking.",
        "truck",
    ),
    (
        "retur-og-reklamasjon",
        "Retur og reklamasjon",
        "Returns and complaints",
        "Slik sender du varer tilbake, og hva du gjør når noe er feil.",
        "How to send goods back, and what to do when something is wrong.",
        "arrow-return-left",
    ),
    (
        "faktura-og-betaling",
        "Faktura og betaling",
        "Invoices and payment",
        "Faktura, KID, EHF og betalingsfrister.",
        "Invoices, KID, EHF and payment terms.",
        "receipt",
    ),
]

DELIVERY_NB = """Varer vi har på lager, sender vi **samme dag** når du bestiller før kl. 14.00
på hverdager. Bestiller du senere, sender vi neste virkedag.

## Leveringstid

| Område | Pakke | Pall |
|---|---|---|
| Østlandet og Sørlandet | 1–2 virkedager | 2–3 virkedager |
| Vestlandet og Midt-Norge | 2–3 virkedager | 3–4 virkedager |
| Nord-Norge | 3–5 virkedager | 4–6 virkedager |

Varer som må bestilles hjem fra leverandør, har lengre leveringstid. Den står i
ordrebekreftelsen.

## Frakt

- Pakke: **149 kr** eks. mva.
- Pall: **1 290 kr** eks. mva.
- **Fri frakt** ved ordre over 5 000 kr eks. mva.

## Sporing

Når ordren er sendt, får du en e-post med sporingslenke. Har pakken ikke kommet innen
leveringstiden, svar på e-posten eller kontakt kundeservice med ordrenummeret.
"""

DELIVERY_EN = """Goods in stock are shipped **the same day** when you order before 14:00 on
a weekday. Orders placed later are shipped the next working day.

## Delivery times

| Region | Parcel | Pallet |
|---|---|---|
| Eastern and Southern Norway | 1–2 working days | 2–3 working days |
| Western and Central Norway | 2–3 working days | 3–4 working days |
| Northern Norway | 3–5 working days | 4–6 working days |

Goods we order from a supplier take longer; the order confirmation shows when to expect
them.

## Freight

- Parcel: **NOK 149** excl. VAT.
- Pallet: **NOK 1,290** excl. VAT.
- **Free freight** on orders over NOK 5,000 excl. VAT.

## Tracking

When the order has shipped you get an e-mail with a tracking link. If the parcel has not
arrived within the delivery time, answer that e-mail or contact customer service with your
order number.
"""

RETURNS_NB = """Du kan returnere ubrukte varer i original emballasje **innen 30 dager** etter
at du fikk dem.

## Slik gjør du det

1. Kontakt kundeservice med **ordrenummeret** og hvilke varer du vil returnere.
2. Du får et **returnummer** og en returetikett på e-post.
3. Pakk varene godt, merk pakken med returnummeret og lever den på nærmeste postkontor
   eller hentested.

Når vi har mottatt og kontrollert varene, sender vi en **kreditnota** innen fem
virkedager. Er fakturaen betalt, betaler vi tilbake til kontoen du oppgir; ellers trekkes
beløpet fra fakturaen.

## Dette kan ikke returneres

- Varer som er tilpasset eller bestilt spesielt til deg
- Mat og drikke
- Programvare og lisenser som er tatt i bruk

Returfrakt betaler du selv, med mindre varen var feil eller skadet. Da gjelder
[reklamasjon](/help/articles/reklamasjon-pa-skadde-eller-feil-varer/).
"""

RETURNS_EN = """You can return unused goods in their original packaging **within 30 days**
of receiving them.

## How to return

1. Contact customer service with the **order number** and the goods you want to return.
2. You get a **return number** and a return label by e-mail.
3. Pack the goods well, mark the parcel with the return number and hand it in at the
   nearest post office or pick-up point.

When we have received and checked the goods we send a **credit note** within five
working days. If the invoice is paid we refund to the account you give us; otherwise the
amount is deducted from the invoice.

## What cannot be returned

- Goods adapted or ordered specially for you
- Food and drink
- Software and licences that have been activated

You pay the return freight, unless the goods were wrong or damaged: then it is a
complaint, and we pay.
"""

INVOICE_NB = """Vi sender faktura som **EHF** (elektronisk faktura) til virksomheter som kan
motta det, ellers som PDF på e-post. Betalingsfristen er **14 dager netto**.

## Bruk alltid KID

Hver faktura har et **KID-nummer** (kundeidentifikasjon). Når du betaler med KID, blir
betalingen registrert automatisk på riktig faktura samme dag som den kommer inn på
kontoen vår.

- Betal **én faktura per betaling**, med fakturaens egen KID.
- Skriv ikke fakturanummeret i meldingsfeltet i stedet for KID: da må betalingen
  behandles manuelt, og det kan ta noen dager før den vises som betalt.
- Har du betalt uten KID eller med feil KID, send oss dato og beløp, så ordner vi det.

## Feil på fakturaen?

Kontakt kundeservice **før forfall** med fakturanummeret og hva som er feil. Vi sender en
kreditnota og eventuelt en ny faktura. Purring stanses mens saken behandles.

## Purring

Ubetalte fakturaer purres 14 dager etter forfall, med purregebyr etter inkassoloven.
"""

INVOICE_EN = """We send invoices as **EHF** (Norwegian e-invoice) to businesses that can
receive it, otherwise as a PDF by e-mail. Payment terms are **14 days net**.

## Always use the KID

Every invoice has a **KID number** (customer identification). When you pay with the KID,
the payment is matched to the right invoice automatically on the day it reaches our
account.

- Pay **one invoice per payment**, with that invoice's own KID.
- Do not write the invoice number in the message field instead of the KID: the payment
  then has to be matched by hand, and it may take a few days before it shows as paid.
- If you paid without a KID or with a wrong one, send us the date and the amount and we
  will sort it out.

## Something wrong on the invoice?

Contact customer service **before the due date** with the invoice number and what is
wrong. We send a credit note and, if needed, a new invoice. Reminders are held while we
look into it.

## Reminders

Unpaid invoices get a reminder 14 days after the due date, with the reminder fee the
Norwegian Debt Collection Act allows.
"""

COMPLAINT_NB = """Er en vare skadet, feil eller ikke som avtalt, kan du **reklamere**.
Gjør det så snart du oppdager feilen.

1. Ta **bilder** av varen og emballasjen.
2. Kontakt kundeservice med ordrenummeret, bildene og en kort beskrivelse.
3. Vi avtaler reparasjon, ny vare eller kreditering. **Vi betaler frakten.**

Transportskader må meldes **innen 7 dager** etter levering. Noter skaden på fraktbrevet
når du tar imot pallen, hvis du ser den med en gang.
"""

INTERNAL_ROUTINE = """Rutine for kundeservice når en **retur** er mottatt på lageret.

1. Finn ordren og kontroller at varene er ubrukte og i original emballasje.
2. Registrer returen på leveransen (lager) og be økonomi lage **kreditnota** for varene.
3. Er fakturaen betalt: legg inn kundens kontonummer i saken, så betaler økonomi tilbake.
4. Svar kunden med malen *Saken er løst* og lenke til kreditnotaen.

Skadde varer: ikke kreditnota før leverandøren har godkjent reklamasjonen. Sett saken til
*venter internt*.
"""

DRAFT = """Fra 1. januar endres fraktsatsene:

- Pakke: 159 kr
- Pall: 1 390 kr

Fri frakt-grensen blir 6 000 kr. *Ikke publiser før ledelsen har godkjent.*
"""

# slug, language, title, body, category slug, visibility, keywords, translation of, publish
ARTICLES = [
    (
        "leveringstider-og-frakt",
        "nb",
        "Leveringstider og frakt",
        DELIVERY_NB,
        "bestilling-og-levering",
        "public",
        "levering, leveringstid, frakt, sporing, pakke, pall, når kommer",
        None,
        True,
    ),
    (
        "delivery-times-and-freight",
        "en",
        "Delivery times and freight",
        DELIVERY_EN,
        "bestilling-og-levering",
        "public",
        "delivery, shipping, freight, tracking, parcel, pallet",
        "leveringstider-og-frakt",
        True,
    ),
    (
        "slik-returnerer-du-en-vare",
        "nb",
        "Slik returnerer du en vare",
        RETURNS_NB,
        "retur-og-reklamasjon",
        "public",
        "retur, returnere, angre, bytte, returrett, kreditnota, pengene tilbake",
        None,
        True,
    ),
    (
        "how-to-return-goods",
        "en",
        "How to return goods",
        RETURNS_EN,
        "retur-og-reklamasjon",
        "public",
        "return, refund, exchange, credit note",
        "slik-returnerer-du-en-vare",
        True,
    ),
    (
        "reklamasjon-pa-skadde-eller-feil-varer",
        "nb",
        "Reklamasjon på skadde eller feil varer",
        COMPLAINT_NB,
        "retur-og-reklamasjon",
        "public",
        "reklamasjon, skadet, feil vare, ødelagt, transportskade, garanti",
        None,
        True,
    ),
    (
        "faktura-kid-og-betalingsfrist",
        "nb",
        "Faktura, KID og betalingsfrist",
        INVOICE_NB,
        "faktura-og-betaling",
        "public",
        "faktura, KID, betaling, EHF, forfall, purring, betalingsfrist, kreditnota",
        None,
        True,
    ),
    (
        "invoices-kid-and-payment-terms",
        "en",
        "Invoices, KID and payment terms",
        INVOICE_EN,
        "faktura-og-betaling",
        "public",
        "invoice, KID, payment, EHF, due date, reminder, payment terms",
        "faktura-kid-og-betalingsfrist",
        True,
    ),
    (
        "rutine-mottatt-retur",
        "nb",
        "Rutine: mottatt retur og kreditnota",
        INTERNAL_ROUTINE,
        "retur-og-reklamasjon",
        "internal",
        "retur, kreditnota, rutine, lager",
        None,
        True,
    ),
    (
        "nye-fraktsatser",
        "nb",
        "Nye fraktsatser fra januar",
        DRAFT,
        "bestilling-og-levering",
        "public",
        "frakt, priser",
        None,
        False,
    ),
]


def load(*, actor) -> None:
    categories = {}
    for position, (slug, nb, en, about_nb, about_en, icon) in enumerate(CATEGORIES, start=1):
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = services.create_category(
                actor=actor,
                name=nb,
                name_en=en,
                slug=slug,
                description=about_nb,
                description_en=about_en,
                position=position * 10,
                icon=icon,
            )
        categories[slug] = category
    for position, row in enumerate(ARTICLES, start=1):
        slug, language, title, body, shelf, visibility, keywords, of, publish_now = row
        if Article.objects.filter(slug=slug).exists():
            continue
        services.create_article(
            actor=actor,
            title=title,
            slug=slug,
            body=body,
            language=language,
            category=categories[str(shelf)],
            visibility=visibility,
            keywords=keywords,
            position=position * 10,
            translation=Article.objects.filter(slug=of).first() if of else None,
            publish_now=publish_now,
        )
