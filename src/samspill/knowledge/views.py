"""Agents' pages of the knowledge base: the article list (ListPage with filters and export),
the article page, the editor with its live preview (htmx), publish / archive, and the
categories."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from samspill.knowledge import queries, services
from samspill.knowledge.filters import ArticleFilterSet
from samspill.knowledge.forms import ArticleForm, CategoryForm, PreviewForm
from samspill.knowledge.markdown import render as render_markdown
from samspill.knowledge.models import Article, Category
from samspill.knowledge.tables import ArticleTable
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from

TIMELINE_LIMIT = 20


def _article_or_404(request, pk) -> Article:
    try:
        return queries.get_article(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


class ArticleListView(ListPage):
    permission = "knowledge.view_article"
    template_name = "knowledge/article_list.html"
    table_class = ArticleTable  # type: ignore[assignment]
    filterset_class = ArticleFilterSet  # type: ignore[assignment]
    create_url = "knowledge:article_create"  # type: ignore[assignment]
    create_permission = "knowledge.add_article"
    export_name = "articles"

    @property
    def title(self):
        return _("Knowledge base")

    @property
    def empty_text(self):
        return _(
            "No articles here yet. Write the answers customers ask for most often with New; "
            "public ones appear in the help centre once they are published."
        )

    def get_queryset(self):
        return queries.articles(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_categories"] = allowed(self.request.user, "knowledge.view_category")
        return context


def _article_form_data(data: dict) -> dict:
    return {
        "title": data["title"],
        "slug": data.get("slug") or "",
        "language": data["language"],
        "category": data.get("category"),
        "visibility": data["visibility"],
        "summary": data.get("summary") or "",
        "body": data["body"],
        "keywords": data.get("keywords") or "",
        "translation": data.get("translation"),
        "position": data.get("position") or 0,
    }


class ArticleCreateView(PermissionRequiredMixin, View):
    permission = "knowledge.add_article"

    def show(self, request, form, status=200):
        return render(
            request,
            "knowledge/article_form.html",
            {
                "form": form,
                "title": _("New article"),
                "can_publish": allowed(request.user, "knowledge.publish_article"),
            },
            status=status,
        )

    def get(self, request):
        initial = {"language": request.GET.get("language") or "nb", "visibility": "internal"}
        source = request.GET.get("translate", "")
        if source.isdigit():
            original = queries.articles(request.user).filter(pk=source).first()
            if original is not None:
                initial.update(
                    language="en" if original.language == "nb" else "nb",
                    translation=original.pk,
                    category=original.category_id,
                    visibility=original.visibility,
                )
        return self.show(request, ArticleForm(initial=initial))

    def post(self, request):
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                article = services.create_article(
                    actor=request.user,
                    publish_now=request.POST.get("publish") == "1",
                    **_article_form_data(form.cleaned_data),
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The article was saved."))
                return redirect(article)
        return self.show(request, form, status=422)


class ArticleEditView(PermissionRequiredMixin, View):
    permission = "knowledge.change_article"

    def show(self, request, article, form, status=200):
        return render(
            request,
            "knowledge/article_form.html",
            {"form": form, "article": article, "title": _("Edit %s") % article.title},
            status=status,
        )

    def get(self, request, pk):
        article = _article_or_404(request, pk)
        form = ArticleForm(
            article=article,
            initial={
                "title": article.title,
                "slug": article.slug,
                "language": article.language,
                "category": article.category_id,
                "visibility": article.visibility,
                "summary": article.summary,
                "body": article.body,
                "keywords": article.keywords,
                "translation": article.translation_id,
                "position": article.position,
            },
        )
        return self.show(request, article, form)

    def post(self, request, pk):
        article = _article_or_404(request, pk)
        form = ArticleForm(request.POST, article=article)
        if form.is_valid():
            try:
                services.update_article(
                    article, actor=request.user, **_article_form_data(form.cleaned_data)
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The article was saved."))
                return redirect(article)
        return self.show(request, article, form, status=422)


class PreviewView(PermissionRequiredMixin, View):
    """The editor's preview: the Markdown rendered and sanitised exactly as readers see it."""

    permission = "knowledge.view_article"

    def post(self, request):
        form = PreviewForm(request.POST)
        body = form.cleaned_data["body"] if form.is_valid() else ""
        return render(request, "knowledge/_preview.html", {"html": render_markdown(body)})


class ArticleDetailView(PermissionRequiredMixin, View):
    permission = "knowledge.view_article"

    def get(self, request, pk):
        article = _article_or_404(request, pk)
        services.record_view(article)
        article.view_count += 1
        context = {
            "article": article,
            "title": article.title,
            "can_change": allowed(request.user, "knowledge.change_article"),
            "can_publish": allowed(request.user, "knowledge.publish_article"),
            "can_add": allowed(request.user, "knowledge.add_article"),
            "timeline_entries": timeline("article", article.pk, limit=TIMELINE_LIMIT),
            "history": audit.history(article)[:20],
        }
        return render(request, "knowledge/article_detail.html", context)


ACTIONS = {"publish": services.publish_article, "archive": services.archive_article}


class ArticleActionView(PermissionRequiredMixin, View):
    permission = "knowledge.publish_article"

    def post(self, request, pk):
        article = _article_or_404(request, pk)
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, _("Unknown action."))
            return redirect(article)
        try:
            action(article, actor=request.user)
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved."))
        return redirect(article)


# --- Categories ------------------------------------------------------------------------------


class CategoryListView(PermissionRequiredMixin, View):
    permission = "knowledge.view_category"

    def get(self, request):
        rows = list(queries.categories(request.user).order_by("position", "name"))
        names = dict(queries.category_choices())
        for row in rows:
            row.path = names.get(row.pk, row.name)  # type: ignore[attr-defined]
        rows.sort(key=lambda r: r.path.lower())  # type: ignore[attr-defined]
        return render(
            request,
            "knowledge/categories.html",
            {
                "title": _("Categories"),
                "categories": rows,
                "can_add": allowed(request.user, "knowledge.add_category"),
                "can_change": allowed(request.user, "knowledge.change_category"),
            },
        )


def _category_data(data: dict) -> dict:
    return {
        "name": data["name"],
        "name_en": data.get("name_en") or "",
        "slug": data.get("slug") or "",
        "description": data.get("description") or "",
        "description_en": data.get("description_en") or "",
        "parent": data.get("parent"),
        "position": data.get("position") or 0,
        "icon": data.get("icon") or "journal-text",
    }


class CategoryFormView(PermissionRequiredMixin, View):
    """New category (no pk) or a change of one."""

    permission = "knowledge.view_category"

    def category(self, pk) -> Category | None:
        if pk is None:
            return None
        row = Category.objects.filter(pk=pk).first()
        if row is None:
            raise Http404(_("There is no such category."))
        return row

    def need(self, request, category):
        perm = "knowledge.change_category" if category else "knowledge.add_category"
        if not allowed(request.user, perm):
            raise DjangoPermissionDenied(_("You do not have permission to do this"))

    def show(self, request, category, form, status=200):
        title = _("Edit %s") % category.name if category else _("New category")
        return render(
            request,
            "knowledge/category_form.html",
            {"form": form, "category": category, "title": title},
            status=status,
        )

    def get(self, request, pk=None):
        category = self.category(pk)
        self.need(request, category)
        initial = {}
        if category:
            initial = {f: getattr(category, f) for f in services.CATEGORY_FIELDS}
            initial["parent"] = category.parent_id
        return self.show(
            request, category, CategoryForm(initial=initial, exclude_pk=category and category.pk)
        )

    def post(self, request, pk=None):
        category = self.category(pk)
        self.need(request, category)
        form = CategoryForm(request.POST, exclude_pk=category and category.pk)
        if form.is_valid():
            data = _category_data(form.cleaned_data)
            try:
                if category:
                    if not data["slug"]:
                        data.pop("slug")
                    services.update_category(category, actor=request.user, **data)
                else:
                    services.create_category(actor=request.user, **data)
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The category was saved."))
                return redirect("knowledge:category_list")
        return self.show(request, category, form, status=422)
