"""Inventory: warehouses and locations, stock moves (double entry of quantities), stock
levels derived from them, lots and serial numbers, deliveries to customers with their
reservations, customer returns and stock counts.

Only `samspill.inventory.services` writes these tables."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

QTY = Decimal("0.001")
MAX_QUANTITY = Decimal("999999999.999")


def qty(value) -> Decimal:
    """A quantity rounded to three decimals (ROUND_HALF_UP), the rounding point of stock."""
    return Decimal(value).quantize(QTY, rounding=ROUND_HALF_UP)


def qty_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=15, decimal_places=3, default=Decimal("0"), **kwargs
    )


class Location(models.Model):
    """A place stock can be in. Internal locations (a warehouse, its zones and bins) hold
    the company's stock; virtual locations (supplier, customer, inventory loss, production)
    are the other side of every move in or out, so quantities are never created from
    nothing."""

    class Kind(models.TextChoices):
        VIEW = "view", _("Warehouse (grouping)")
        INTERNAL = "internal", _("Internal")
        SUPPLIER = "supplier", _("Suppliers")
        CUSTOMER = "customer", _("Customers")
        LOSS = "loss", _("Inventory loss")
        PRODUCTION = "production", _("Production")

    VIRTUAL = (Kind.SUPPLIER, Kind.CUSTOMER, Kind.LOSS, Kind.PRODUCTION)

    name = models.CharField(_("name"), max_length=60)
    code = models.CharField(_("code"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    warehouse = models.ForeignKey(
        "Warehouse",
        verbose_name=_("warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="locations",
    )
    allow_negative = models.BooleanField(
        _("allow negative stock"),
        default=False,
        help_text=_("Moves out may take the quantity below zero here."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("inventory:location_list") + f"#loc-{self.pk}"

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.INTERNAL


class Warehouse(models.Model):
    """A warehouse: a view location with a stock location (and its zones and bins below it)
    and an output location (the dock where picked goods wait)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    view_location = models.OneToOneField(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    stock_location = models.OneToOneField(
        Location, verbose_name=_("stock location"), on_delete=models.PROTECT, related_name="+"
    )
    output_location = models.OneToOneField(
        Location, verbose_name=_("output location"), on_delete=models.PROTECT, related_name="+"
    )
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="inventory_one_default_warehouse",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProductTracking(models.Model):
    """How inventory tracks a catalog product: by lot, by serial number or not at all."""

    class Tracking(models.TextChoices):
        NONE = "none", _("Not tracked")
        LOT = "lot", _("By lot")
        SERIAL = "serial", _("By serial number")

    product = models.OneToOneField(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
        primary_key=True,
    )
    tracking = models.CharField(
        _("tracking"), max_length=8, choices=Tracking.choices, default=Tracking.NONE
    )

    class Meta:
        verbose_name = _("product tracking")
        verbose_name_plural = _("product tracking")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.tracking}"


class Lot(models.Model):
    """A lot or a serial number of a product."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("lot or serial number"), max_length=60)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("lot or serial number")
        verbose_name_plural = _("lots and serial numbers")
        ordering = ["product_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="inventory_lot_unique")
        ]

    def __str__(self) -> str:
        return self.name


class StockMove(models.Model):
    """A quantity of a product moved from one location to another: one row is both the
    credit of the source and the debit of the destination. Quantities are in the
    product's unit and always positive."""

    class State(models.TextChoices):
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Reason(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        RETURN = "return", _("Customer return")
        ADJUSTMENT = "adjustment", _("Adjustment")
        COUNT = "count", _("Stock count")
        TRANSFER = "transfer", _("Transfer")
        RECEIPT = "receipt", _("Receipt")
        PRODUCTION = "production", _("Production")
        SCRAP = "scrap", _("Scrap")

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    from_location = models.ForeignKey(
        Location, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_location = models.ForeignKey(
        Location, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = qty_field(_("quantity"))
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DONE)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    delivery = models.ForeignKey(
        "Delivery",
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves",
    )
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(
        _("value"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Quantity × unit cost in NOK, rounded to øre."),
    )
    receipt = models.ForeignKey(
        "Receipt",
        verbose_name=_("receipt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves",
    )
    production = models.ForeignKey(
        "ProductionOrder",
        verbose_name=_("production order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("date"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-done_at", "-pk"]
        indexes = [
            models.Index(fields=["product", "from_location"], name="inv_move_product_from"),
            models.Index(fields=["product", "to_location"], name="inv_move_product_to"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_move_positive"),
            models.CheckConstraint(
                condition=~Q(from_location=models.F("to_location")),
                name="inventory_move_two_locations",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.reason} {self.quantity}"


class StockLevel(models.Model):
    """On hand and reserved of a product at a location: a summary of the done moves and the
    open reservations, maintained in the same transaction as they change (tests prove it
    equals the aggregate of the moves). Its row is the lock that serialises reservations."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="levels"
    )
    on_hand = qty_field(_("on hand"))
    reserved = qty_field(_("reserved"))

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["product_id", "location_id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], name="inventory_level_unique"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="inventory_reserved_gte_0"),
        ]
        indexes = [models.Index(fields=["location", "product"], name="inv_level_location")]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.location_id}: {self.on_hand}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class LotLevel(models.Model):
    """On hand of one lot or serial number at a location (summary of the done moves)."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="levels"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    on_hand = qty_field(_("on hand"))

    class Meta:
        verbose_name = _("lot stock")
        verbose_name_plural = _("lot stock")
        constraints = [
            models.UniqueConstraint(fields=["lot", "location"], name="inventory_lot_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lot_id}@{self.location_id}: {self.on_hand}"


class Delivery(models.Model):
    """An outgoing shipment to a customer (from a sales order) or a customer return."""

    class Kind(models.TextChoices):
        OUTGOING = "outgoing", _("Delivery")
        RETURN = "return", _("Customer return")

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for stock")
        READY = "ready", _("Ready")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (State.WAITING, State.READY)

    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OUTGOING)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    order_id = models.PositiveBigIntegerField(_("order id"), null=True, blank=True, db_index=True)
    order_number = models.CharField(_("order"), max_length=30, blank=True)
    backorder_of = models.ForeignKey(
        "self",
        verbose_name=_("back order of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backorders",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    done_at = models.DateTimeField(_("shipped"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["party", "state"], name="inv_delivery_party_state")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("inventory:delivery_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN


class DeliveryLine(models.Model):
    """What one delivery ships of a product: the quantity asked, what is reserved for it at
    the warehouse's stock location, what is picked and not yet shipped, and what is done."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    order_line_id = models.PositiveBigIntegerField(_("order line id"), null=True, blank=True)
    is_consumable = models.BooleanField(
        _("consumable"), default=False, help_text=_("Shipped without reservation or stock check.")
    )
    quantity = qty_field(_("quantity"))
    reserved = qty_field(_("reserved"))
    done = qty_field(_("done"))

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_line_positive"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(reserved__lte=models.F("quantity")),
                name="inventory_line_reserved_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.product_id} × {self.quantity}"


class DeliveryPick(models.Model):
    """A quantity picked for a delivery line (with its lot or serial number), waiting to be
    shipped. Shipping turns the picks into stock moves and removes them."""

    line = models.ForeignKey(
        DeliveryLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="picks"
    )
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = qty_field(_("quantity"))

    class Meta:
        verbose_name = _("picked quantity")
        verbose_name_plural = _("picked quantities")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_pick_positive")
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.quantity}"


class StockCount(models.Model):
    """A count sheet for one location: the expected quantities from stock, what people
    counted, and when posted, the adjustments against the inventory-loss location."""

    class State(models.TextChoices):
        DRAFT = "draft", _("In progress")
        POSTED = "posted", _("Posted")

    number = models.CharField(_("number"), max_length=20, unique=True)
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-created_at", "-pk"]
        permissions = [("post_stockcount", _("Can post stock counts"))]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("inventory:count_detail", args=[self.pk])


class StockCountLine(models.Model):
    count = models.ForeignKey(
        StockCount, verbose_name=_("count"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expected = qty_field(_("expected"))
    counted = models.DecimalField(
        _("counted"), max_digits=15, decimal_places=3, null=True, blank=True
    )

    class Meta:
        verbose_name = _("count line")
        verbose_name_plural = _("count lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.count_id}: {self.product_id}"

    @property
    def difference(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.expected


class Receipt(models.Model):
    """An incoming shipment from a supplier (WH/IN/00001), usually expected because a
    purchase order was confirmed: one line per product with the quantity ordered (in the
    product's unit) and what has arrived. It stays expected until everything has arrived,
    or until the purchase order is closed or cancelled."""

    class State(models.TextChoices):
        EXPECTED = "expected", _("Expected")
        DONE = "done", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=20, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.EXPECTED
    )
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    order_id = models.PositiveBigIntegerField(
        _("purchase order id"), null=True, blank=True, db_index=True
    )
    order_number = models.CharField(_("purchase order"), max_length=30, blank=True)
    expected_date = models.DateField(_("expected"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    done_at = models.DateTimeField(_("received"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["party", "state"], name="inv_receipt_party_state")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("inventory:receipt_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.EXPECTED


class ReceiptLine(models.Model):
    """What a receipt expects of a product (in the product's unit) and what has arrived."""

    receipt = models.ForeignKey(
        Receipt, verbose_name=_("receipt"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    order_line_id = models.PositiveBigIntegerField(_("order line id"), null=True, blank=True)
    quantity = qty_field(_("quantity"))
    done = qty_field(_("received"))
    unit_cost = models.DecimalField(
        _("unit cost"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The purchase price of one unit in the product's unit (NOK)."),
    )

    class Meta:
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="inventory_receipt_line_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id}: {self.product_id} × {self.quantity}"

    @property
    def remaining(self) -> Decimal:
        return max(self.quantity - self.done, Decimal(0))


class ProductCost(models.Model):
    """The moving weighted average cost of one unit of a product, company-wide: each
    receipt mixes its purchase price in, weighted by the quantities; everything that
    leaves stock leaves at this cost."""

    product = models.OneToOneField(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
        primary_key=True,
    )
    average_cost = models.DecimalField(_("average cost"), max_digits=16, decimal_places=4)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("product cost")
        verbose_name_plural = _("product costs")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.average_cost}"


class BillOfMaterials(models.Model):
    """What it takes to make a product: the quantity of the finished product one bill
    makes and the components (product, quantity, unit) consumed for it."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = qty_field(_("quantity"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("bill of materials")
        verbose_name_plural = _("bills of materials")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_bom_positive")
        ]

    def __str__(self) -> str:
        return f"BOM {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("inventory:bom_list") + f"#bom-{self.pk}"


class BomLine(models.Model):
    """A component of a bill of materials, in the unit it was entered in."""

    bom = models.ForeignKey(
        BillOfMaterials,
        verbose_name=_("bill of materials"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("component"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = qty_field(_("quantity"))
    unit = models.ForeignKey(
        "catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_bomline_positive")
        ]

    def __str__(self) -> str:
        return f"{self.bom_id}: {self.product_id} × {self.quantity}"


class ProductionOrder(models.Model):
    """Making a quantity of a product from a bill of materials in a warehouse
    (WH/MO/00001): confirmed, it reserves the components; each production run consumes
    its share of them into the production location and brings finished goods from there
    into stock; done when everything is made or it is closed short."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=20, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = qty_field(_("quantity"))
    produced = qty_field(
        _("produced"), help_text=_("How much of the quantity has been made so far.")
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    bom = models.ForeignKey(
        BillOfMaterials,
        verbose_name=_("bill of materials"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("production order")
        verbose_name_plural = _("production orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_mo_positive")
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("inventory:production_detail", args=[self.pk])

    @property
    def remaining(self) -> Decimal:
        return max(self.quantity - self.produced, Decimal(0))


class ProductionLine(models.Model):
    """A component a production order consumes (in the component's unit), what is
    reserved for it at the warehouse's stock location and what was consumed."""

    order = models.ForeignKey(
        ProductionOrder,
        verbose_name=_("production order"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("component"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = qty_field(_("quantity"))
    reserved = qty_field(_("reserved"))
    done = qty_field(_("done"))

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_mo_line_positive"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(reserved__lte=models.F("quantity")),
                name="inventory_mo_line_reserved_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.product_id} × {self.quantity}"


class StockValueMonth(models.Model):
    """What one calendar month (in the company's time zone, settings.TIME_ZONE) changed in
    the quantity and value of a product held in internal locations: the net of the done
    moves in or out of the company's stock that month. A derived summary of the moves,
    kept by the stock engine in the same transaction as each move (also a back-dated
    one, in its own month) and rebuilt from the moves by `samspill rebuild-stock-value`.
    The stock value at the end of a day is then the sum of the months before that day's
    month plus the moves of that month up to the day: exact, and fast at any size."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=3)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("stock value of a month")
        verbose_name_plural = _("stock value per month")
        ordering = ["product_id", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "month"], name="inventory_value_month_unique"
            )
        ]
        indexes = [models.Index(fields=["month"], name="inv_value_month_month")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.month:%Y-%m}: {self.quantity} / {self.value}"


class StockValueTotal(models.Model):
    """The quantity and value of a product held in internal locations over all time: the
    running total of its StockValueMonth rows, kept with them in the same transaction.
    The stock value at a recent date is this total less the months after that date's
    month (and that month's moves after the day): a handful of rows per product."""

    product = models.OneToOneField(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="+",
        primary_key=True,
    )
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=3)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("stock value of a product")
        verbose_name_plural = _("stock value per product")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity} / {self.value}"
