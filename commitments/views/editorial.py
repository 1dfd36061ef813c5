"""Analysts log updates from their workspace; editors review and publish them.

Who may do what to an update is decided in commitments/rules.py, asked here through
`_get_update_for_user` (404 for those who may not see it, 403 for those who see it but may not
act). Every step goes through a StatusUpdate model method, which asks the rules again under a
row lock.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commitments import rules
from commitments.filters import SEARCH_MAX_LENGTH, CommitmentFilter
from commitments.forms import (
    EditConflict,
    NewSourceFormSet,
    RejectForm,
    RetractForm,
    StatusUpdateForm,
    is_id,
)
from commitments.languages import OTHER_LANGUAGES, TranslationOrigin, translated
from commitments.markdown import render_markdown
from commitments.models import Commitment, Source, StatusUpdate
from commitments.rules import PUBLISH_PERMISSION, Action

logger = logging.getLogger("commitments.security")

State = StatusUpdate.State


def _deny(request, message):
    logger.warning("Denied %s %s to %s: %s", request.method, request.path, request.user, message)
    raise PermissionDenied(message)


def _get_update_for_user(request, pk, action=Action.VIEW) -> StatusUpdate:
    """The update, if this user may do `action` to it (commitments/rules.py decides):
    404 for those who may not even see it, 403 for those who see it but may not act."""
    update = get_object_or_404(StatusUpdate.objects.select_related("commitment"), pk=pk)
    if not rules.can(request.user, Action.VIEW, update):
        raise Http404(_("No such update."))
    if action is not Action.VIEW:
        reason = rules.decide(request.user, action, update)
        if reason is not None:
            _deny(request, reason)
    return update


def _get_rw_update_for_user(request, pk) -> StatusUpdate:
    """The update, if this user is its author and may still change it."""
    return _get_update_for_user(request, pk, Action.EDIT)


def _reviewed_version(request) -> int:
    """The version of the update the reviewer's page showed (publish what was reviewed)."""
    raw = request.POST.get("version", "")
    return int(raw) if is_id(raw) else -1


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# The workspace shows the newest of each list, with its total; "See all" pages through one.
OWN_LIST_LENGTH = 20
ATTENTION_LIST_LENGTH = 10
WORKSPACE_PAGE_SIZE = 50
REVIEW_PAGE_SIZE = 20
OWN_LISTS = {
    "rejected": (
        State.REJECTED,
        gettext_lazy("Rejected"),
        gettext_lazy("Nothing sent back to you."),
    ),
    "drafts": (State.DRAFT, gettext_lazy("Drafts"), gettext_lazy("No drafts.")),
    "submitted": (
        State.SUBMITTED,
        gettext_lazy("Awaiting review"),
        gettext_lazy("Nothing awaiting review."),
    ),
    "published": (
        State.PUBLISHED,
        gettext_lazy("Published"),
        gettext_lazy("Nothing published yet."),
    ),
}
ATTENTION_LISTS = {
    "overdue": (gettext_lazy("Overdue"), "deadline", gettext_lazy("Nothing is overdue.")),
    "due_soon": (
        gettext_lazy("Due in the next 90 days"),
        "deadline",
        gettext_lazy("No deadlines in the next 90 days."),
    ),
    "stale": (
        gettext_lazy("Stale"),
        "last_update",
        gettext_lazy("Every open commitment has a recent update."),
    ),
    "unpublished": (
        gettext_lazy("Not yet public"),
        "",
        gettext_lazy("Every commitment has a published update."),
    ),
}


def _workspace_querysets(user, today) -> dict:
    own = (
        StatusUpdate.objects.filter(author=user)
        .select_related("commitment", "reviewer")
        .order_by("-updated_at", "-pk")
    )
    public = Commitment.objects.public().select_related("latest_update")
    return {
        **{key: own.filter(state=state) for key, (state, *_) in OWN_LISTS.items()},
        "overdue": public.overdue(today).order_by("deadline", "title", "pk"),
        "due_soon": public.upcoming(today, days=90).order_by("deadline", "title", "pk"),
        "stale": public.stale(today).order_by("last_update_on", "title", "pk"),
        "unpublished": Commitment.objects.filter(latest_update__isnull=True).order_by(
            "title", "pk"
        ),
    }


@require_safe
@login_required
@permission_required("commitments.add_statusupdate", raise_exception=True)
def workspace(request):
    """The analyst's own updates by state and the commitments that need attention: the
    newest few of each list with its total (a fixed cost, however many rows are behind it);
    `?show=<list>` pages through one whole list."""
    querysets = _workspace_querysets(request.user, timezone.localdate())
    review_count = (
        StatusUpdate.objects.awaiting_review().count()
        if request.user.has_perm(PUBLISH_PERMISSION)
        else None
    )
    show = request.GET.get("show", "")
    if show in querysets:
        page = Paginator(querysets[show], WORKSPACE_PAGE_SIZE).get_page(request.GET.get("page"))
        if show in OWN_LISTS:
            _, title, empty = OWN_LISTS[show]
            display = ""
        else:
            title, display, empty = ATTENTION_LISTS[show]
        return render(
            request,
            "commitments/workspace.html",
            {
                "focus": {
                    "key": show,
                    "title": title,
                    "own": show in OWN_LISTS,
                    "display": display,
                    "empty": empty,
                    "items": list(page.object_list),
                },
                "page_obj": page,
                "review_count": review_count,
            },
        )

    own_counts = dict(
        StatusUpdate.objects.filter(author=request.user)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    context = {"review_count": review_count, "own_sections": [], "attention_sections": []}
    for key, (state, title, empty) in OWN_LISTS.items():
        context[key] = list(querysets[key][:OWN_LIST_LENGTH])
        context["own_sections"].append(
            {
                "key": key,
                "title": title,
                "empty": empty,
                "items": context[key],
                "count": own_counts.get(state, 0),
            }
        )
    for key, (title, display, empty) in ATTENTION_LISTS.items():
        context[key] = list(querysets[key][:ATTENTION_LIST_LENGTH])
        context["attention_sections"].append(
            {
                "key": key,
                "title": title,
                "display": display,
                "empty": empty,
                "items": context[key],
                "count": querysets[key].count(),
            }
        )
    return render(request, "commitments/workspace.html", context)


# "Log an update": how many commitments a search shows, and how many recently updated.
LOG_MATCHES_SHOWN = 25
LOG_RECENT_SHOWN = 8


@require_safe
@login_required
@permission_required("commitments.add_statusupdate", raise_exception=True)
def log_update(request):
    """Pick the commitment to update, then straight to its form: a search (the list's own,
    over every commitment an analyst may update, published or not), at most
    LOG_MATCHES_SHOWN matches, and the ones this analyst updated most recently."""
    search = CommitmentFilter(
        {"q": request.GET.get("q", "")[:SEARCH_MAX_LENGTH]},
        queryset=Commitment.objects.order_by("title", "pk"),
    )
    query = search.form.cleaned_data.get("q", "") if search.is_valid() else ""
    matches = list(search.qs[: LOG_MATCHES_SHOWN + 1])
    recent = list(
        Commitment.objects.filter(updates__author=request.user)
        .annotate(last_worked_on=Max("updates__updated_at"))
        .order_by("-last_worked_on", "pk")[:LOG_RECENT_SHOWN]
    )
    return render(
        request,
        "commitments/log_update.html",
        {
            "search": search,
            "query": query.strip(),
            "matches": matches[:LOG_MATCHES_SHOWN],
            "more": len(matches) > LOG_MATCHES_SHOWN,
            "shown": LOG_MATCHES_SHOWN,
            "recent": recent,
        },
    )


@login_required
@permission_required("commitments.add_statusupdate", raise_exception=True)
def update_new(request, slug):
    commitment = get_object_or_404(Commitment, slug=slug)
    update = StatusUpdate(commitment=commitment, author=request.user)
    return _update_form(request, update)


@login_required
@permission_required("commitments.add_statusupdate", raise_exception=True)
def update_correct(request, pk):
    """Open a correction of a published update: a new revision, prefilled with what the
    public sees now, that goes through review like any update. Once published it replaces
    the original and the public sees "Corrected on <date>: <what changed>"."""
    original = _get_update_for_user(request, pk, Action.CORRECT)
    return _update_form(request, original.revision(StatusUpdate.Kind.CORRECTION, request.user))


@login_required
@permission_required("commitments.add_statusupdate", raise_exception=True)
def update_retract(request, pk):
    """Propose withdrawing a published update: sent for review at once, with the public
    note; once an editor publishes it, the update leaves the pages and its notice stays."""
    original = _get_update_for_user(request, pk, Action.RETRACT)
    form = RetractForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            retraction = original.revision(
                StatusUpdate.Kind.RETRACTION, request.user, form.cleaned_data["note"]
            )
            retraction.save()
            retraction.sources.set(original.sources.all())
            retraction.submit(by=request.user)
        messages.success(
            request,
            _("Retraction sent for review: “%(summary)s”.")
            % {"summary": translated(original, "summary")},
        )
        return redirect("commitments:workspace")
    return render(
        request,
        "commitments/retract.html",
        {"form": form, "original": original, "commitment": original.commitment},
    )


@login_required
@permission_required("commitments.change_statusupdate", raise_exception=True)
def update_edit(request, pk):
    return _update_form(request, _get_rw_update_for_user(request, pk))


NO_SOURCE_MESSAGE = gettext_lazy(
    "Add at least one source before submitting for review. Tick one on record or fill in a "
    "new one below."
)


# The update form's actions that save, and so check everything; the others redisplay it.
CHECKED = ("save", "submit")


def _update_form(request, update):
    """Log or edit an update. "Preview", "Find" and "Add another source" redisplay the form
    with everything typed kept; "Save draft" and "Submit for review" save it."""
    action = request.POST.get("action", "")
    formset_data = None
    if request.method == "POST":
        formset_data = request.POST.copy()
        if action == "add-source":
            total = int(t) if (t := formset_data.get("new-TOTAL_FORMS", "")[:2]).isdecimal() else 1
            formset_data["new-TOTAL_FORMS"] = str(min(total + 1, 10))
        form = StatusUpdateForm(
            request.POST, instance=update, user=request.user, check=action in CHECKED
        )
    else:
        initial = None
        if update.is_revision and not update.pk:
            initial = {"existing_sources": list(update.corrects.sources.all())}
        form = StatusUpdateForm(instance=update, user=request.user, initial=initial)
    new_sources = NewSourceFormSet(
        formset_data,
        prefix="new",
        queryset=Source.objects.none(),
        form_kwargs={"user": request.user, "check": action in CHECKED},
    )

    if request.method == "POST" and action in CHECKED:
        # Everything is checked in one go, so every problem is reported at once.
        valid = form.is_valid()
        valid = new_sources.is_valid() and valid
        typed = [f for f in new_sources.forms if f.has_changed()]
        # Checked whatever else is wrong, and said beside the Sources.
        if (
            action == "submit"
            and "existing_sources" not in form.errors
            and not typed
            and not form.cleaned_data.get("existing_sources")
        ):
            form.add_error("existing_sources", NO_SOURCE_MESSAGE)
            valid = False
        if valid:
            chosen = list(form.cleaned_data["existing_sources"])
            try:
                saved = _save_update(request, form, typed, chosen, submit=action == "submit")
            except EditConflict:
                form.add_error(None, _("Someone else saved this update at the same moment."))
            else:
                summary = {"summary": translated(saved, "summary")}
                if action == "submit":
                    messages.success(request, _("Submitted for review: “%(summary)s”.") % summary)
                else:
                    messages.success(request, _("Draft saved: “%(summary)s”.") % summary)
                return redirect("commitments:workspace")

    if form.is_bound and "existing_sources" in form.errors:
        # Each checkbox, not only their group, points at the error beside the Sources.
        form.fields["existing_sources"].widget.attrs["aria-describedby"] = (
            f"{form['existing_sources'].auto_id}_error"
        )
    return render(
        request,
        "commitments/update_form.html",
        {
            "form": form,
            "new_sources": new_sources,
            "update": update,
            "commitment": update.commitment,
            "preview": render_markdown(request.POST.get("body", ""))
            if action == "preview"
            else None,
        },
    )


@transaction.atomic
def _save_update(request, form, typed_sources, chosen_sources, submit: bool):
    update = form.save(commit=False)
    was_rejected = update.pk and update.state == State.REJECTED
    update._change_reason = "Edited" if update.pk else "Created"
    update.save()
    for source_form in typed_sources:
        source = source_form.save(commit=False)
        source.added_by = request.user
        source.save()
        chosen_sources.append(source)
    update.sources.set(chosen_sources)
    if submit:
        update.submit(by=request.user)
    elif was_rejected:
        update.reopen(by=request.user)
    return update


@require_POST
@login_required
@permission_required("commitments.change_statusupdate", raise_exception=True)
def update_submit(request, pk):
    update = _get_update_for_user(request, pk, Action.SUBMIT)
    return _step(request, lambda: update.submit(by=request.user), _("Submitted for review."))


@require_POST
@login_required
@permission_required("commitments.change_statusupdate", raise_exception=True)
def update_withdraw(request, pk):
    update = _get_update_for_user(request, pk, Action.WITHDRAW)
    return _step(request, lambda: update.withdraw(by=request.user), _("Withdrawn to draft."))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required("commitments.change_statusupdate", raise_exception=True)
def update_delete(request, pk):
    """GET asks "Delete this draft? It cannot be undone." (no script needed); POST deletes."""
    update = _get_update_for_user(request, pk, Action.DELETE)
    back = _next_or(request, reverse("commitments:workspace"))
    if request.method != "POST":
        return render(
            request,
            "commitments/delete_update.html",
            {"update": update, "commitment": update.commitment, "back": back},
        )
    update._change_reason = "Deleted"
    update.delete()
    messages.success(
        request, _("Deleted: “%(summary)s”.") % {"summary": translated(update, "summary")}
    )
    return redirect(back)


@require_POST
@login_required
@permission_required(PUBLISH_PERMISSION, raise_exception=True)
def update_publish(request, pk):
    update = _get_update_for_user(request, pk)
    return _step(
        request,
        lambda: update.publish(request.user, version=_reviewed_version(request)),
        _("Published: “%(summary)s”. It is on the public pages now.")
        % {"summary": translated(update, "summary")},
        fallback="commitments:review",
    )


@require_POST
@login_required
@permission_required(PUBLISH_PERMISSION, raise_exception=True)
def update_reject(request, pk):
    update = _get_update_for_user(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the update is rejected: a comment is required."))
        return redirect(_next_or(request, reverse("commitments:review")))
    return _step(
        request,
        lambda: update.reject(
            request.user, form.cleaned_data["comment"], version=_reviewed_version(request)
        ),
        _("Rejected and sent back to its author: “%(summary)s”.")
        % {"summary": translated(update, "summary")},
        fallback="commitments:review",
    )


def _step(request, step, done: str, fallback="commitments:workspace"):
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_next_or(request, reverse(fallback)))


LANGUAGE_NAMES = {"ja": gettext_lazy("Japanese"), "hi": gettext_lazy("Hindi")}


def _translations(update) -> list[dict]:
    """An update's Japanese and Hindi texts, for the editor to review beside the English."""
    shown = []
    for code in OTHER_LANGUAGES:
        summary, body = getattr(update, f"summary_{code}"), getattr(update, f"body_{code}")
        if summary or body:
            origin = getattr(update, f"translation_{code}")
            shown.append(
                {
                    "code": code,
                    "language": LANGUAGE_NAMES[code],
                    "origin": TranslationOrigin(origin).label if origin else "",
                    "summary": summary,
                    "body_html": render_markdown(body) if body else "",
                }
            )
    return shown


@require_safe
@login_required
@permission_required(PUBLISH_PERMISSION, raise_exception=True)
def review(request):
    """Submitted updates, oldest first, REVIEW_PAGE_SIZE a page (`?page=`; a page out of
    range shows the last one). Everything an item shows is fetched for this page only."""
    queue = (
        StatusUpdate.objects.awaiting_review()
        .select_related("author", "corrects")
        .prefetch_related("sources")
    )
    page = Paginator(queue, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    updates = list(page.object_list)
    commitments = Commitment.objects.filter(pk__in={update.commitment_id for update in updates})
    by_pk = {c.pk: c for c in commitments.select_related("latest_update")}
    for update in updates:
        update.commitment = by_pk[update.commitment_id]
        update.translations = _translations(update)
    return render(
        request,
        "commitments/review.html",
        {"queue": updates, "page_obj": page, "reject_form": RejectForm()},
    )
