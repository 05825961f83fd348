"""Writes of proposals and opinion reports. Each function validates, saves, audits and (after
the commit) notifies, in one transaction; state changes go through the machines of workflow.py.

One service per state machine — `proposal_transition`, `assignment_transition`,
`report_transition` — takes the action and its data; the other services write what is not a
change of state (drafts, co-signatures, staff edits, adoption events, bulletins, key proposals,
publication, the policy).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianluo.core import audit, links
from lianluo.core.notifications import notify
from lianluo.core.workflow import InvalidTransition, StateMachine
from lianluo.directory.models import (
    Committee,
    FocusArea,
    Grant,
    Membership,
    Organization,
    Person,
    Session,
)
from lianluo.directory.scoping import scope_for
from lianluo.proposals import search, similarity
from lianluo.proposals.models import (
    ATTACHMENT_EXTENSIONS,
    DEFAULT_CATEGORIES,
    AdoptionEvent,
    Assignment,
    Attachment,
    BulletinEntry,
    BulletinIssue,
    Evaluation,
    IndexKind,
    KeySupervision,
    OpinionReport,
    Proposal,
    ProposalAuthor,
    ProposalCategory,
    ProposalPolicy,
    Reply,
    ReportAuthor,
    SupervisionNote,
)
from lianluo.proposals.workflow import ASSIGNMENTS, MAX_ROUNDS, PROPOSALS, REPORTS

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
GROUP_CLASSIFICATIONS = (
    Organization.Classification.PARTY_GROUP,
    Organization.Classification.SECTOR_GROUP,
    Organization.Classification.SPECIAL_COMMITTEE,
    Organization.Classification.SECTOR,
)
PROPOSAL_AUDIT_FIELDS = (
    "title",
    "body",
    "kind",
    "group",
    "category",
    "focus_area",
    "no_secret_declared",
    "consent_publication",
    "publication_refusal_reason",
)
REPORT_AUDIT_FIELDS = ("title", "body", "kind", "group", "category", "focus_area")

# --------------------------------------------------------------------------------------------
# Helpers


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days (Monday–Friday) after `start`."""
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def _on_commit(function: Callable[[], Any]) -> None:
    transaction.on_commit(function)


def _notify(
    recipients: Iterable[Any], *, title: str, body: str = "", url: str = "", obj: models.Model
) -> None:
    users = [u for u in recipients if u is not None]
    if users:
        _on_commit(lambda: notify(recipients=users, title=title, body=body, url=url, obj=obj))


def office_users(committee_id: int) -> list[Any]:
    """The accounts of a committee's office."""
    return [
        g.user
        for g in Grant.objects.filter(
            committee_id=committee_id, role=Grant.Role.OFFICE
        ).select_related("user")
    ]


def unit_users(unit_ids: Iterable[int]) -> list[Any]:
    """The accounts of some handling units."""
    return [
        g.user
        for g in Grant.objects.filter(unit_id__in=list(unit_ids), role=Grant.Role.UNIT)
        .select_related("user")
        .order_by("id")
    ]


def _users_of(people: Iterable[Person]) -> list[Any]:
    return [p.user for p in people if p.user_id]


def _proposal_url(proposal: Proposal) -> str:
    return reverse("proposals:proposal_detail", args=[proposal.pk])


def _report_url(report: OpinionReport) -> str:
    return reverse("proposals:report_detail", args=[report.pk])


def _record_transition(
    *, by: Any, obj: models.Model, action: str, old: str, new: str, reason: str, committee_id: int
) -> None:
    audit.record(
        actor=by,
        action="transition",
        verb=action,
        obj=obj,
        changes={"status": [old, new]},
        reason=reason,
        committee_id=committee_id,
    )


def _check(
    machine: StateMachine, *, state: str, action: str, roles: set[str], reason: str = ""
) -> str:
    return machine.check(state=state, action=action, roles=roles, reason=reason).target


# --------------------------------------------------------------------------------------------
# Policy and taxonomy


def policy_ensure(*, committee: Committee) -> ProposalPolicy:
    """The committee's policy, created with the defaults (and the default categories) if none."""
    policy = ProposalPolicy.objects.filter(committee=committee).first()
    if policy is not None:
        return policy
    with transaction.atomic(), translation.override("zh-hans"):
        policy, _created = ProposalPolicy.objects.get_or_create(committee=committee)
        categories_ensure_defaults(committee=committee)
    return policy


def categories_ensure_defaults(*, committee: Committee) -> list[ProposalCategory]:
    """Give a committee the five national categories if it has none yet."""
    existing = list(ProposalCategory.objects.filter(committee=committee))
    if existing:
        return existing
    with translation.override("zh-hans"):
        return ProposalCategory.objects.bulk_create(
            ProposalCategory(committee=committee, slug=slug, name=str(label), position=index)
            for index, (slug, label) in enumerate(DEFAULT_CATEGORIES)
        )


def _clean_code_list(value: Any, field: str, max_code: int) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise ValidationError({field: _("Give at least one entry.")})
    cleaned: list[dict[str, str]] = []
    codes: set[str] = set()
    for item in value:
        code = str(item.get("code", "")).strip() if isinstance(item, dict) else ""
        label = str(item.get("label", "")).strip() if isinstance(item, dict) else ""
        if not code or not label or len(code) > max_code or len(label) > 200:
            raise ValidationError(
                {
                    field: _("Each entry needs a code (at most %(count)d characters) and a label.")
                    % {"count": max_code}
                }
            )
        if code in codes:
            raise ValidationError({field: _("The code %(code)s is given twice.") % {"code": code}})
        codes.add(code)
        cleaned.append({"code": code, "label": label})
    return cleaned


POLICY_FIELDS = (
    "body_max_chars",
    "report_body_max_chars",
    "max_suggested_units",
    "cosign_days",
    "plenary_window_days",
    "return_window_days",
    "answer_days",
    "cohandling_days",
    "answer_classes",
    "rejection_grounds",
    "publication_enabled",
)


def policy_update(*, committee: Committee, by: Any, data: dict[str, Any]) -> ProposalPolicy:
    """Change the committee's proposal rules. Only its office may."""
    if not scope_for(by).can_edit_committee(committee.pk):
        raise PermissionDenied(_("Only this committee's office may change its proposal rules."))
    policy_ensure(committee=committee)
    with transaction.atomic():
        policy = ProposalPolicy.objects.select_for_update().get(committee=committee)
        before = audit.snapshot(policy, POLICY_FIELDS)
        for key, value in data.items():
            if key in POLICY_FIELDS:
                setattr(policy, key, value)
        policy.answer_classes = _clean_code_list(policy.answer_classes, "answer_classes", 8)
        policy.rejection_grounds = _clean_code_list(
            policy.rejection_grounds, "rejection_grounds", 40
        )
        errors: dict[str, str] = {}
        if not 100 <= policy.body_max_chars <= 20000:
            errors["body_max_chars"] = _("Between 100 and 20,000 characters.")
        if not 100 <= policy.report_body_max_chars <= 20000:
            errors["report_body_max_chars"] = _("Between 100 and 20,000 characters.")
        if not 1 <= policy.max_suggested_units <= 10:
            errors["max_suggested_units"] = _("Between 1 and 10.")
        if policy.cohandling_days > policy.answer_days:
            errors["cohandling_days"] = _(
                "Co-handling opinions cannot be due after the answer itself."
            )
        if add_working_days(timezone.localdate(), policy.return_window_days) > (
            timezone.localdate() + datetime.timedelta(days=policy.answer_days)
        ):
            errors["return_window_days"] = _(
                "The window for returning a proposal must end before the answer is due."
            )
        if errors:
            raise ValidationError(errors)
        policy.save()
        changes = audit.diff(before, audit.snapshot(policy, POLICY_FIELDS))
        if changes:
            audit.record(
                actor=by, action="update", obj=policy, changes=changes, committee_id=committee.pk
            )
    return policy


# --------------------------------------------------------------------------------------------
# Roles


def proposal_roles(user: Any, proposal: Proposal) -> set[str]:
    """The roles `user` holds for `proposal` in the proposal machine."""
    scope = scope_for(user)
    roles: set[str] = set()
    if scope.person_id is not None and scope.person_id == proposal.author_id:
        roles.add("author")
    if scope.can_edit_committee(proposal.committee_id):
        roles.add("office")
    return roles


def assignment_roles(user: Any, assignment: Assignment) -> set[str]:
    """The roles `user` holds for `assignment`: its unit, the office, the first proposer."""
    scope = scope_for(user)
    roles: set[str] = set()
    if assignment.unit_id in scope.unit_ids:
        roles.add("unit")
    if scope.can_edit_committee(assignment.committee_id):
        roles.add("office")
    if scope.person_id is not None and scope.person_id == assignment.proposal.author_id:
        roles.add("author")
    return roles


def report_roles(user: Any, report: OpinionReport) -> set[str]:
    scope = scope_for(user)
    roles: set[str] = set()
    if scope.person_id is not None and scope.person_id == report.author_id:
        roles.add("author")
    if scope.can_edit_committee(report.committee_id):
        roles.add("office")
    return roles


# --------------------------------------------------------------------------------------------
# Attachments


def _magic_ok(extension: str, head: bytes) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in ("docx", "xlsx"):
        return head.startswith(b"PK\x03\x04")
    if extension == "doc":
        return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if extension == "txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A cut multi-byte character at the end of the sample is fine.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return False
        return b"\x00" not in head
    return False


def validate_files(files: Sequence[UploadedFile], *, existing: int = 0) -> None:
    """Refuse files of the wrong type (by extension and content), too large, or too many."""
    if existing + len(files) > MAX_FILES:
        raise ValidationError(
            {"attachments": _("At most %(count)d files may be attached.") % {"count": MAX_FILES}}
        )
    for upload in files:
        name = upload.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in ATTACHMENT_EXTENSIONS:
            raise ValidationError(
                {
                    "attachments": _("%(name)s: only PDF, Word, Excel, JPEG, PNG or text files.")
                    % {"name": name}
                }
            )
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise ValidationError(
                {"attachments": _("%(name)s is larger than 10 MB.") % {"name": name}}
            )
        upload.seek(0)
        head = upload.read(2048)
        upload.seek(0)
        if not _magic_ok(extension, head):
            raise ValidationError(
                {
                    "attachments": _("%(name)s is not really a .%(extension)s file.")
                    % {"name": name, "extension": extension}
                }
            )


def _attach(
    *,
    files: Sequence[UploadedFile],
    by: Any,
    committee: Committee,
    proposal: Proposal | None = None,
    reply: Reply | None = None,
    report: OpinionReport | None = None,
) -> list[Attachment]:
    created = []
    for upload in files:
        name = (upload.name or "file").rsplit("/", 1)[-1][:200]
        extension = name.rsplit(".", 1)[-1].lower()
        attachment = Attachment(
            committee=committee,
            proposal=proposal,
            reply=reply,
            report=report,
            name=name,
            size=upload.size or 0,
            content_type=ATTACHMENT_EXTENSIONS[extension],
            uploaded_at=timezone.now(),
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        created.append(attachment)
    return created


def attachment_delete(*, attachment: Attachment, by: Any) -> None:
    """Remove an attachment from a draft (its author) — files of submitted items stay."""
    owner = attachment.proposal or attachment.report
    if owner is None or owner.status not in ("draft", "returned"):
        raise InvalidTransition(_("Files can only be removed from drafts."))
    if scope_for(by).person_id != owner.author_id:
        raise PermissionDenied(_("Only the author may remove files."))
    with transaction.atomic():
        audit.record(
            actor=by,
            action="update",
            verb="attachment_removed",
            obj=owner,
            changes={"attachment": [attachment.name, None]},
            committee_id=owner.committee_id,
        )
        attachment.file.delete(save=False)
        attachment.delete()


# --------------------------------------------------------------------------------------------
# Indexes (kept in step on every save of a text)


def _index_proposals(proposals: Iterable[Proposal]) -> None:
    items = list(proposals)
    similarity.index(
        similarity.Entry(
            kind=IndexKind.PROPOSAL,
            object_id=p.pk,
            committee_id=p.committee_id,
            session_id=p.session_id,
            year=p.year or p.created_at.year,
            text=similarity.text_of(p.title, p.body),
        )
        for p in items
    )
    search.index(
        search.entry_for(
            committee_id=p.committee_id,
            kind=IndexKind.PROPOSAL,
            object_id=p.pk,
            year=p.year or p.created_at.year,
            title=p.title,
            texts=[p.body],
        )
        for p in items
        if not p.is_private
    )


def _index_reports(reports: Iterable[OpinionReport]) -> None:
    items = list(reports)
    similarity.index(
        similarity.Entry(
            kind=IndexKind.REPORT,
            object_id=r.pk,
            committee_id=r.committee_id,
            session_id=None,
            year=r.year,
            text=similarity.text_of(r.title, r.body),
        )
        for r in items
    )
    search.index(
        search.entry_for(
            committee_id=r.committee_id,
            kind=IndexKind.REPORT,
            object_id=r.pk,
            year=r.year,
            title=r.shown_title,
            texts=[r.title, r.body, r.edited_body],
        )
        for r in items
        if r.status != OpinionReport.Status.DRAFT
    )


def _index_replies(replies: Iterable[Reply]) -> None:
    search.index(
        search.entry_for(
            committee_id=r.committee_id,
            kind=IndexKind.REPLY,
            object_id=r.pk,
            year=r.replied_at.year,
            title=r.proposal.title,
            texts=[r.text],
        )
        for r in replies
    )


def index_rebuild(*, committee: Committee | None = None, progress: Any = None) -> dict[str, int]:
    """Rebuild the similarity and search indexes (all committees, or one), in batches."""
    counts = {"proposals": 0, "reports": 0, "replies": 0}
    batch = 1000
    proposals = Proposal.objects.order_by("pk")
    reports = OpinionReport.objects.order_by("pk")
    replies = Reply.objects.select_related("proposal").order_by("pk")
    if committee is not None:
        proposals = proposals.filter(committee=committee)
        reports = reports.filter(committee=committee)
        replies = replies.filter(committee=committee)

    def chunks(queryset: QuerySet[Any]) -> Iterable[list[Any]]:
        last = 0
        while True:
            chunk = list(queryset.filter(pk__gt=last)[:batch])
            if not chunk:
                return
            yield chunk
            last = chunk[-1].pk
            if progress is not None:
                progress(len(chunk))

    for chunk in chunks(proposals):
        with transaction.atomic():
            _index_proposals(chunk)
        counts["proposals"] += len(chunk)
    for chunk in chunks(reports):
        with transaction.atomic():
            _index_reports(chunk)
        counts["reports"] += len(chunk)
    for chunk in chunks(replies):
        with transaction.atomic():
            _index_replies(chunk)
        counts["replies"] += len(chunk)
    return counts


# --------------------------------------------------------------------------------------------
# Proposals: drafts


def _seat_committees(person_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            person_id=person_id, organization__isnull=True, status=Membership.Status.SERVING
        ).values_list("committee_id", flat=True)
    )


def _author_of(by: Any, committee: Committee) -> Person:
    person_id = scope_for(by).person_id
    if person_id is None or committee.pk not in _seat_committees(person_id):
        raise PermissionDenied(_("Only members of this committee may write proposals here."))
    return Person.objects.get(pk=person_id)


def _clean_group(
    *, kind: str, group: Organization | None, committee: Committee, author: Person
) -> Organization | None:
    if kind != "collective":
        return None
    if group is None:
        raise ValidationError({"group": _("A collective proposal names its group.")})
    if group.committee_id != committee.pk or group.classification not in GROUP_CLASSIFICATIONS:
        raise ValidationError(
            {
                "group": _(
                    "Choose a party, sector, sector group or special committee of this committee."
                )
            }
        )
    if not Membership.objects.filter(
        person=author, organization=group, status=Membership.Status.SERVING
    ).exists():
        raise ValidationError(
            {"group": _("Only a member who holds a role in this group may write for it.")}
        )
    return group


def _clean_cosigners(
    *, kind: str, cosigners: Sequence[Person], committee: Committee, author: Person
) -> list[Person]:
    if kind != "joint":
        if cosigners:
            raise ValidationError({"cosigners": _("Only a joint proposal has co-signers.")})
        return []
    people = list(dict.fromkeys(cosigners))
    if not people:
        raise ValidationError({"cosigners": _("A joint proposal needs at least one co-signer.")})
    if author in people:
        raise ValidationError({"cosigners": _("The first proposer cannot co-sign.")})
    seated = set(
        Membership.objects.filter(
            committee=committee,
            organization__isnull=True,
            status=Membership.Status.SERVING,
            person__in=people,
        ).values_list("person_id", flat=True)
    )
    outsiders = [p.name for p in people if p.pk not in seated]
    if outsiders:
        raise ValidationError(
            {
                "cosigners": _("Not members of this committee: %(names)s.")
                % {"names": "、".join(outsiders)}
            }
        )
    return people


def _clean_proposal_fields(
    proposal: Proposal, *, policy: ProposalPolicy, suggested_units: Sequence[Organization]
) -> None:
    errors: dict[str, str] = {}
    if not proposal.title.strip():
        errors["title"] = _("A proposal needs a title.")
    if not proposal.body.strip():
        errors["body"] = _("A proposal needs its text.")
    elif len(proposal.body) > policy.body_max_chars:
        errors["body"] = _(
            "The text has %(count)d characters; this committee accepts at most %(limit)d."
        ) % {"count": len(proposal.body), "limit": policy.body_max_chars}
    if not proposal.no_secret_declared:
        errors["no_secret_declared"] = _(
            "Declare that the proposal contains no state secret: secret content may not be "
            "submitted or stored here."
        )
    if not proposal.consent_publication and not proposal.publication_refusal_reason.strip():
        errors["publication_refusal_reason"] = _("Say why the proposal may not be published.")
    if proposal.consent_publication:
        proposal.publication_refusal_reason = ""
    if proposal.category_id is None or proposal.category.committee_id != proposal.committee_id:
        errors["category"] = _("Choose one of this committee's categories.")
    if (
        proposal.focus_area is not None
        and proposal.focus_area.committee_id != proposal.committee_id
    ):
        errors["focus_area"] = _("Choose one of this committee's focus areas.")
    if len(suggested_units) > policy.max_suggested_units:
        errors["suggested_units"] = _("Suggest at most %(count)d lead units.") % {
            "count": policy.max_suggested_units
        }
    if any(
        u.committee_id != proposal.committee_id
        or u.classification != Organization.Classification.HANDLING_UNIT
        for u in suggested_units
    ):
        errors["suggested_units"] = _("Choose handling units of this committee.")
    if errors:
        raise ValidationError(errors)


@dataclass
class ProposalData:
    """What a member writes in a proposal."""

    title: str
    body: str
    category: ProposalCategory | None
    kind: str = Proposal.Kind.INDIVIDUAL
    focus_area: FocusArea | None = None
    group: Organization | None = None
    cosigners: Sequence[Person] = ()
    suggested_units: Sequence[Organization] = ()
    no_secret_declared: bool = False
    consent_publication: bool = True
    publication_refusal_reason: str = ""


def _set_cosigners(proposal: Proposal, people: Sequence[Person]) -> None:
    wanted = {p.pk for p in people}
    ProposalAuthor.objects.filter(proposal=proposal, role=ProposalAuthor.Role.COSIGNER).exclude(
        person_id__in=wanted
    ).delete()
    existing = set(
        ProposalAuthor.objects.filter(proposal=proposal).values_list("person_id", flat=True)
    )
    ProposalAuthor.objects.bulk_create(
        ProposalAuthor(
            committee_id=proposal.committee_id,
            proposal=proposal,
            person=person,
            role=ProposalAuthor.Role.COSIGNER,
            state=ProposalAuthor.State.INVITED,
            position=index + 1,
        )
        for index, person in enumerate(people)
        if person.pk not in existing
    )
    for index, person in enumerate(people):
        ProposalAuthor.objects.filter(proposal=proposal, person=person).update(position=index + 1)


def proposal_create(
    *,
    committee: Committee,
    by: Any,
    data: ProposalData,
    files: Sequence[UploadedFile] = (),
) -> Proposal:
    """A member drafts a proposal 提案草稿: only they see it until it is submitted."""
    author = _author_of(by, committee)
    policy = policy_ensure(committee=committee)
    if data.kind not in Proposal.Kind.values:
        raise ValidationError({"kind": _("Choose individual, joint or collective.")})
    validate_files(files)
    with transaction.atomic():
        proposal = Proposal(
            committee=committee,
            kind=data.kind,
            author=author,
            created_by=by,
            title=data.title.strip(),
            body=data.body.strip(),
            category=data.category,
            focus_area=data.focus_area,
            no_secret_declared=data.no_secret_declared,
            consent_publication=data.consent_publication,
            publication_refusal_reason=data.publication_refusal_reason.strip(),
            year=timezone.localdate().year,
        )
        proposal.group = _clean_group(
            kind=data.kind, group=data.group, committee=committee, author=author
        )
        cosigners = _clean_cosigners(
            kind=data.kind, cosigners=data.cosigners, committee=committee, author=author
        )
        _clean_proposal_fields(proposal, policy=policy, suggested_units=data.suggested_units)
        proposal.save()
        proposal.suggested_units.set(data.suggested_units)
        ProposalAuthor.objects.create(
            committee=committee,
            proposal=proposal,
            person=author,
            role=ProposalAuthor.Role.FIRST,
            state=ProposalAuthor.State.CONFIRMED,
        )
        _set_cosigners(proposal, cosigners)
        _attach(files=files, by=by, committee=committee, proposal=proposal)
        audit.record(
            actor=by,
            action="create",
            obj=proposal,
            changes=audit.diff({}, audit.snapshot(proposal, PROPOSAL_AUDIT_FIELDS)),
            committee_id=committee.pk,
        )
        _index_proposals([proposal])
    return proposal


def proposal_update(
    *, proposal: Proposal, by: Any, data: ProposalData, files: Sequence[UploadedFile] = ()
) -> Proposal:
    """The author changes a draft, or a proposal returned for changes."""
    if scope_for(by).person_id != proposal.author_id:
        raise PermissionDenied(_("Only the first proposer may change this proposal."))
    policy = policy_ensure(committee=proposal.committee)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status not in (Proposal.Status.DRAFT, Proposal.Status.RETURNED):
            raise InvalidTransition(
                _("Only a draft or a proposal returned for changes can be changed.")
            )
        validate_files(files, existing=locked.attachments.count())
        before = audit.snapshot(locked, PROPOSAL_AUDIT_FIELDS)
        locked.title = data.title.strip()
        locked.body = data.body.strip()
        locked.category = data.category  # type: ignore[assignment]
        locked.focus_area = data.focus_area
        locked.no_secret_declared = data.no_secret_declared
        locked.consent_publication = data.consent_publication
        locked.publication_refusal_reason = data.publication_refusal_reason.strip()
        if locked.status == Proposal.Status.DRAFT:
            if data.kind not in Proposal.Kind.values:
                raise ValidationError({"kind": _("Choose individual, joint or collective.")})
            locked.kind = data.kind
            locked.group = _clean_group(
                kind=data.kind, group=data.group, committee=locked.committee, author=locked.author
            )
            cosigners = _clean_cosigners(
                kind=data.kind,
                cosigners=data.cosigners,
                committee=locked.committee,
                author=locked.author,
            )
        _clean_proposal_fields(locked, policy=policy, suggested_units=data.suggested_units)
        locked.save()
        locked.suggested_units.set(data.suggested_units)
        if locked.status == Proposal.Status.DRAFT:
            _set_cosigners(locked, cosigners)
        _attach(files=files, by=by, committee=locked.committee, proposal=locked)
        changes = audit.diff(before, audit.snapshot(locked, PROPOSAL_AUDIT_FIELDS))
        if files:
            changes["attachments"] = [None, [f.name for f in files]]
        if changes:
            audit.record(
                actor=by,
                action="update",
                obj=locked,
                changes=changes,
                committee_id=locked.committee_id,
            )
        _index_proposals([locked])
    return locked


def _source_text(source: models.Model) -> tuple[str, str]:
    """The title and text of a record of another app (a concern has a topic and a
    description), read by attribute name: this app never imports the others."""
    title = ""
    for name in ("title", "topic", "subject"):
        value = getattr(source, name, "")
        if isinstance(value, str) and value.strip():
            title = value
            break
    body = ""
    for name in ("body", "text", "content", "description", "details"):
        value = getattr(source, name, "")
        if isinstance(value, str) and value.strip():
            body = value
            break
    return title.strip()[:200], body.strip()


def proposal_create_from(
    *,
    source: models.Model,
    by: Any,
    committee: Committee,
    title: str = "",
    body: str = "",
) -> Proposal:
    """A draft proposal prefilled from another record (a concern 诉求 of the casework app) and
    linked to it both ways (core.links "became"). The member completes and submits it."""
    author = _author_of(by, committee)
    policy = policy_ensure(committee=committee)
    source_title, source_body = _source_text(source)
    text = (body or source_body or source_title)[: policy.body_max_chars]
    category = ProposalCategory.objects.filter(committee=committee, is_active=True).first()
    if category is None:
        category = categories_ensure_defaults(committee=committee)[0]
    with transaction.atomic():
        proposal = Proposal.objects.create(
            committee=committee,
            kind=Proposal.Kind.INDIVIDUAL,
            author=author,
            created_by=by,
            title=(title or source_title or text[:30])[:200],
            body=text,
            category=category,
            no_secret_declared=False,
            year=timezone.localdate().year,
        )
        ProposalAuthor.objects.create(
            committee=committee,
            proposal=proposal,
            person=author,
            role=ProposalAuthor.Role.FIRST,
        )
        links.link(source=source, target=proposal, kind="became", by=by)
        audit.record(
            actor=by,
            action="create",
            verb="created_from",
            obj=proposal,
            changes={"source": [None, f"{source._meta.label} {source.pk}"]},
            committee_id=committee.pk,
        )
        _index_proposals([proposal])
    return proposal


def proposal_cosign(*, proposal: Proposal, by: Any, confirm: bool) -> ProposalAuthor:
    """A co-signer 联名人 confirms (or declines) before the deadline; afterwards they drop out."""
    person_id = scope_for(by).person_id
    if person_id is None:
        raise PermissionDenied(_("You are not asked to co-sign this proposal."))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        row = ProposalAuthor.objects.filter(
            proposal=locked, person_id=person_id, role=ProposalAuthor.Role.COSIGNER
        ).first()
        if row is None:
            raise PermissionDenied(_("You are not asked to co-sign this proposal."))
        if locked.status != Proposal.Status.COSIGNING:
            raise InvalidTransition(_("This proposal is not waiting for co-signatures."))
        if row.state != ProposalAuthor.State.INVITED:
            raise InvalidTransition(_("You have already answered."))
        now = timezone.now()
        if row.is_lapsed:  # marked lapsed when the proposal is submitted
            raise InvalidTransition(_("The deadline for co-signing has passed."))
        old = row.state
        row.state = ProposalAuthor.State.CONFIRMED if confirm else ProposalAuthor.State.DECLINED
        row.responded_at = now
        row.save(update_fields=["state", "responded_at"])
        audit.record(
            actor=by,
            action="update",
            verb="cosign_confirmed" if confirm else "cosign_declined",
            obj=locked,
            changes={"cosigner": [None, row.person.name], "confirmation": [old, row.state]},
            committee_id=locked.committee_id,
        )
        title = (
            _("%(name)s co-signed your proposal") if confirm else _("%(name)s declined to co-sign")
        ) % {"name": row.person.name}
        _notify(_users_of([locked.author]), title=title, url=_proposal_url(locked), obj=locked)
    return row


# --------------------------------------------------------------------------------------------
# Proposals: the machine


def session_for(
    committee: Committee, day: datetime.date, window_days: int
) -> tuple[Session | None, str]:
    """The plenary session a proposal made on `day` belongs to, and its timing: a session
    proposal 大会提案 from `window_days` before a session until its last day, otherwise a
    proposal between sessions 平时提案 (of the last session held, or else the next one)."""
    sessions = list(Session.objects.filter(term__committee=committee).order_by("opens_on"))
    for session in sessions:
        if session.opens_on - datetime.timedelta(days=window_days) <= day <= session.closes_on:
            return session, Proposal.Timing.PLENARY
    before = [s for s in sessions if s.closes_on < day]
    if before:
        return before[-1], Proposal.Timing.BETWEEN
    return (sessions[0], Proposal.Timing.BETWEEN) if sessions else (None, "")


def _lock_policy(committee: Committee) -> ProposalPolicy:
    policy_ensure(committee=committee)
    return ProposalPolicy.objects.select_for_update().get(committee=committee)


def _next_reference(
    model: type[Proposal] | type[OpinionReport], committee_id: int, year: int
) -> int:
    found = model.objects.filter(committee_id=committee_id, year=year).aggregate(
        top=Max("reference_seq")
    )["top"]
    return (found or 0) + 1


@dataclass(frozen=True)
class UnitChoice:
    """One unit of an assignment: the unit, its role, and optionally its own deadline."""

    unit: Organization
    role: str
    due_on: datetime.date | None = None


def _clean_units(
    proposal: Proposal, units: Sequence[UnitChoice], policy: ProposalPolicy
) -> list[UnitChoice]:
    if not units:
        raise ValidationError({"units": _("Choose at least one handling unit.")})
    active = {a.unit_id: a for a in proposal.assignments.exclude(status__in=Assignment.ENDED)}
    roles = [u.role for u in units] + [a.role for a in active.values()]
    seen: set[int] = set()
    for choice in units:
        unit = choice.unit
        if (
            unit.committee_id != proposal.committee_id
            or unit.classification != Organization.Classification.HANDLING_UNIT
            or not unit.is_active
        ):
            raise ValidationError(
                {"units": _("%(unit)s is not a handling unit of this committee.") % {"unit": unit}}
            )
        if unit.pk in seen or unit.pk in active:
            raise ValidationError(
                {"units": _("%(unit)s is already assigned this proposal.") % {"unit": unit}}
            )
        seen.add(unit.pk)
        if choice.role not in Assignment.Role.values:
            raise ValidationError({"units": _("Choose lead, co-handling or separate.")})
    if roles.count(Assignment.Role.LEAD) > 1:
        raise ValidationError({"units": _("A proposal has one lead unit.")})
    if Assignment.Role.SEPARATE in roles and (
        Assignment.Role.LEAD in roles or Assignment.Role.COHANDLING in roles
    ):
        raise ValidationError(
            {"units": _("Either a lead unit with co-handling units, or separate units: not both.")}
        )
    if Assignment.Role.COHANDLING in roles and Assignment.Role.LEAD not in roles:
        raise ValidationError({"units": _("Co-handling units need a lead unit.")})
    today = timezone.localdate()
    for choice in units:
        if choice.due_on is not None and choice.due_on <= today:
            raise ValidationError({"units": _("A deadline must be in the future.")})
    return list(units)


def _assign(
    proposal: Proposal, units: Sequence[UnitChoice], policy: ProposalPolicy, by: Any
) -> list[Assignment]:
    units = _clean_units(proposal, units, policy)
    today = timezone.localdate()
    now = timezone.now()
    answer_due = today + datetime.timedelta(days=policy.answer_days)
    opinion_due = today + datetime.timedelta(days=policy.cohandling_days)
    created = []
    for choice in units:
        default = opinion_due if choice.role == Assignment.Role.COHANDLING else answer_due
        due = choice.due_on or default
        return_by = min(add_working_days(today, policy.return_window_days), due)
        created.append(
            Assignment.objects.create(
                committee_id=proposal.committee_id,
                proposal=proposal,
                unit=choice.unit,
                role=choice.role,
                assigned_at=now,
                assigned_by=by,
                due_on=due,
                return_by=return_by,
            )
        )
        audit.record(
            actor=by,
            action="create",
            verb="assigned",
            obj=created[-1],
            changes={"unit": [None, str(choice.unit)], "role": [None, choice.role]},
            committee_id=proposal.committee_id,
        )
    for assignment in created:
        _notify(
            unit_users([assignment.unit_id]),
            title=_("A proposal was assigned to you: %(title)s") % {"title": proposal.title},
            body=_("As %(role)s; due on %(date)s.")
            % {"role": assignment.get_role_display(), "date": assignment.due_on.isoformat()},
            url=reverse("proposals:assignment_detail", args=[assignment.pk]),
            obj=assignment,
        )
    return created


def _credited_people(proposal: Proposal) -> list[ProposalAuthor]:
    return [a for a in proposal.authors.select_related("person") if a.counts]


def _merge(proposal: Proposal, target: Proposal | None, by: Any) -> None:
    if target is None:
        raise ValidationError({"target": _("Choose the proposal to merge into.")})
    target = Proposal.objects.select_for_update().get(pk=target.pk)
    if target.pk == proposal.pk:
        raise ValidationError({"target": _("A proposal cannot be merged into itself.")})
    if target.committee_id != proposal.committee_id:
        raise ValidationError({"target": _("Merge only proposals of the same committee.")})
    if target.status not in (Proposal.Status.SUBMITTED, *Proposal.ACCEPTED_STATUSES) or (
        target.status == Proposal.Status.CLOSED
    ):
        raise ValidationError({"target": _("The target proposal is not open for merging.")})
    proposal.merged_into = target
    present = set(target.authors.values_list("person_id", flat=True))
    position = target.authors.count()
    merged_people = {a.person_id for a in _credited_people(proposal)}
    target_users = _users_of(
        a.person for a in _credited_people(target) if a.person_id not in merged_people
    )
    for author in _credited_people(proposal):
        if author.person_id in present:
            continue
        position += 1
        ProposalAuthor.objects.create(
            committee_id=target.committee_id,
            proposal=target,
            person=author.person,
            role=ProposalAuthor.Role.MERGED,
            state=ProposalAuthor.State.CONFIRMED,
            position=position,
            via=proposal,
        )
        present.add(author.person_id)
    links.link(source=proposal, target=target, kind="merged_into", by=by)
    audit.record(
        actor=by,
        action="update",
        verb="merged_in",
        obj=target,
        changes={"merged": [None, proposal.reference]},
        committee_id=target.committee_id,
    )
    _notify(
        target_users,
        title=_("%(reference)s was merged into your proposal; its proposers share the credit.")
        % {"reference": proposal.reference},
        body=target.title,
        url=_proposal_url(target),
        obj=target,
    )


def _to_report(proposal: Proposal, by: Any) -> OpinionReport:
    now = timezone.now()
    year = timezone.localdate().year
    report = OpinionReport.objects.create(
        committee_id=proposal.committee_id,
        year=year,
        kind=(
            OpinionReport.Kind.COLLECTIVE
            if proposal.kind == Proposal.Kind.COLLECTIVE
            else OpinionReport.Kind.JOINT
            if proposal.kind == Proposal.Kind.JOINT
            else OpinionReport.Kind.INDIVIDUAL
        ),
        group=proposal.group,
        author=proposal.author,
        created_by=by,
        title=proposal.title,
        body=proposal.body,
        category=proposal.category,
        focus_area=proposal.focus_area,
        status=OpinionReport.Status.SUBMITTED,
        reference_seq=_next_reference(OpinionReport, proposal.committee_id, year),
        submitted_at=now,
        source_proposal=proposal,
    )
    report.reference = f"{year}-S{report.reference_seq:04d}"
    report.save(update_fields=["reference"])
    for index, author in enumerate(_credited_people(proposal)):
        ReportAuthor.objects.create(
            committee_id=proposal.committee_id,
            report=report,
            person=author.person,
            role=ReportAuthor.Role.FIRST if index == 0 else ReportAuthor.Role.JOINT,
            position=index,
        )
    links.link(source=proposal, target=report, kind="became", by=by)
    audit.record(
        actor=by,
        action="create",
        verb="from_proposal",
        obj=report,
        changes={"source": [None, proposal.reference]},
        committee_id=report.committee_id,
    )
    _index_reports([report])
    return report


def _proposal_system(proposal: Proposal, action: str, by: Any) -> None:
    """A step the services take by themselves (the last reply came, a reply goes back)."""
    old = proposal.status
    new = _check(PROPOSALS, state=old, action=action, roles={"system"})
    proposal.status = new
    if new == Proposal.Status.CLOSED:
        proposal.closed_at = timezone.now()
    proposal.save(update_fields=["status", "closed_at", "updated_at"])
    _record_transition(
        by=by,
        obj=proposal,
        action=action,
        old=old,
        new=new,
        reason="",
        committee_id=proposal.committee_id,
    )
    if new == Proposal.Status.CLOSED:
        _end_open_assignments(proposal, by)
        _notify(
            _users_of(a.person for a in _credited_people(proposal)),
            title=_("Your proposal is closed: %(title)s") % {"title": proposal.title},
            url=_proposal_url(proposal),
            obj=proposal,
        )


# What may still be open of an assignment when its proposal closes.
OPEN_AT_CLOSE = (Assignment.Status.ASSIGNED, Assignment.Status.REPLIED)


def _end_open_assignments(proposal: Proposal, by: Any) -> list[Assignment]:
    """The proposal closed: its assignments still open end with it (the system step "close"
    of the assignment machine) — a co-handling opinion never sent stops waiting in the unit's
    inbox, a reply never evaluated is no longer offered for evaluation. Each is on the
    assignment's and the proposal's timeline, and its unit is told."""
    ended = list(
        Assignment.objects.select_for_update()
        .filter(proposal=proposal, status__in=OPEN_AT_CLOSE)
        .order_by("id")
    )
    for assignment in ended:
        old = assignment.status
        new = _check(ASSIGNMENTS, state=old, action="close", roles={"system"})
        assignment.status = new
        assignment.save(update_fields=["status", "updated_at"])
        _record_transition(
            by=by,
            obj=assignment,
            action="close",
            old=old,
            new=new,
            reason="",
            committee_id=assignment.committee_id,
        )
        audit.record(
            actor=by,
            action="update",
            verb="assignment_close",
            obj=proposal,
            changes={"unit": [None, str(assignment.unit)], "assignment": [old, new]},
            committee_id=proposal.committee_id,
        )
    for assignment in ended:
        _notify(
            unit_users([assignment.unit_id]),
            title=_("A proposal assigned to you was closed: %(title)s") % {"title": proposal.title},
            url=reverse("proposals:assignment_detail", args=[assignment.pk]),
            obj=assignment,
        )
    return ended


def _answering(proposal: Proposal) -> list[Assignment]:
    return list(
        proposal.assignments.filter(role__in=Assignment.ANSWERING).exclude(
            status__in=Assignment.ENDED
        )
    )


def _after_assignment_change(proposal: Proposal, by: Any) -> None:
    """Move the proposal when its answering assignments are all replied, or all evaluated."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    answering = _answering(proposal)
    if not answering:
        return
    replied = all(
        a.status in (Assignment.Status.REPLIED, Assignment.Status.EVALUATED) for a in answering
    )
    evaluated = all(a.status == Assignment.Status.EVALUATED for a in answering)
    if proposal.status == Proposal.Status.HANDLING and replied:
        _proposal_system(proposal, "answer", by)
    elif proposal.status == Proposal.Status.ANSWERED and not replied:
        _proposal_system(proposal, "rehandle", by)
    if proposal.status == Proposal.Status.ANSWERED and evaluated:
        _proposal_system(proposal, "close", by)


def proposal_transition(
    *,
    proposal: Proposal,
    action: str,
    by: Any,
    reason: str = "",
    ground: str = "",
    target: Proposal | None = None,
    units: Sequence[UnitChoice] = (),
) -> Proposal:
    """Take one step of the proposal machine (workflow.PROPOSALS): check the state and the
    user's role, apply the step with its data, record it on the timeline and notify.

    Data by action: reject → `ground` (one of the committee's grounds, required) and an
    optional `reason`; merge → `target`; return → `reason` (required); assign → `units`.
    """
    policy = policy_ensure(committee=proposal.committee)
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update().select_related("committee").get(pk=proposal.pk)
        )
        old = locked.status
        new = _check(
            PROPOSALS, state=old, action=action, roles=proposal_roles(by, locked), reason=reason
        )
        if action in ("submit", "resubmit", "accept", "to_report"):
            # Numbers (a proposal's reference and number, the reference of the report that
            # to_report makes) are given one at a time: the policy row is the committee's lock.
            policy = _lock_policy(locked.committee)
        now = timezone.now()
        authors = _users_of(a.person for a in _credited_people(locked))
        message = ""
        if action == "invite":
            if locked.kind != Proposal.Kind.JOINT:
                raise InvalidTransition(_("Only a joint proposal asks co-signers to confirm."))
            _clean_proposal_fields(
                locked, policy=policy, suggested_units=list(locked.suggested_units.all())
            )
            cosigners = locked.authors.filter(role=ProposalAuthor.Role.COSIGNER)
            if not cosigners.exists():
                raise InvalidTransition(_("Add at least one co-signer first."))
            deadline = now + datetime.timedelta(days=policy.cosign_days)
            cosigners.update(
                state=ProposalAuthor.State.INVITED, deadline=deadline, responded_at=None
            )
            _notify(
                _users_of(a.person for a in cosigners.select_related("person")),
                title=_("%(name)s asks you to co-sign a proposal") % {"name": locked.author.name},
                body=_("%(title)s — please confirm by %(date)s.")
                % {"title": locked.title, "date": timezone.localtime(deadline).date().isoformat()},
                url=_proposal_url(locked),
                obj=locked,
            )
        elif action == "recall":
            cosigners = locked.authors.filter(role=ProposalAuthor.Role.COSIGNER)
            # No link: the draft is the author's alone again until they invite anew.
            _notify(
                _users_of(a.person for a in cosigners.select_related("person")),
                title=_("%(name)s took back a proposal to change it")
                % {"name": locked.author.name},
                body=_("%(title)s — you will be asked again to co-sign.") % {"title": locked.title},
                obj=locked,
            )
            cosigners.update(state=ProposalAuthor.State.INVITED, deadline=None, responded_at=None)
        elif action == "withdraw":
            if old in (Proposal.Status.SUBMITTED, Proposal.Status.RETURNED):
                _notify(
                    office_users(locked.committee_id),
                    title=_("A proposal was withdrawn by its proposer: %(title)s")
                    % {"title": locked.title},
                    url=_proposal_url(locked),
                    obj=locked,
                )
        elif action in ("submit", "resubmit"):
            _clean_proposal_fields(
                locked, policy=policy, suggested_units=list(locked.suggested_units.all())
            )
            if locked.kind == Proposal.Kind.JOINT and action == "submit":
                cosigners = locked.authors.filter(role=ProposalAuthor.Role.COSIGNER)
                if not cosigners.filter(state=ProposalAuthor.State.CONFIRMED).exists():
                    raise InvalidTransition(
                        _("A joint proposal can be submitted once a co-signer has confirmed.")
                    )
                cosigners.filter(state=ProposalAuthor.State.INVITED).update(
                    state=ProposalAuthor.State.LAPSED
                )
            if locked.kind == Proposal.Kind.COLLECTIVE:
                _clean_group(
                    kind=locked.kind,
                    group=locked.group,
                    committee=locked.committee,
                    author=locked.author,
                )
            if locked.reference_seq is None:
                today = timezone.localdate()
                session, timing = session_for(locked.committee, today, policy.plenary_window_days)
                if session is None:
                    raise InvalidTransition(
                        _("The committee has no plenary session yet: ask its office.")
                    )
                locked.session = session
                locked.timing = timing
                locked.year = today.year
                locked.reference_seq = _next_reference(Proposal, locked.committee_id, today.year)
                locked.reference = f"{today.year}-{locked.reference_seq:04d}"
            locked.submitted_at = now
            message = _("Your proposal was submitted; its reference number is %(reference)s.") % {
                "reference": locked.reference
            }
            _notify(
                office_users(locked.committee_id),
                title=_("New proposal to review: %(title)s") % {"title": locked.title},
                url=_proposal_url(locked),
                obj=locked,
            )
        elif action == "accept":
            if locked.session_id is None:
                raise InvalidTransition(_("The proposal belongs to no plenary session."))
            top = Proposal.objects.filter(session_id=locked.session_id).aggregate(
                top=Max("number")
            )["top"]
            locked.number = (top or 0) + 1
            locked.decided_at = now
            locked.review_note = reason
            message = _("Your proposal was accepted as no. %(number)s.") % {
                "number": locked.number_label
            }
        elif action == "reject":
            codes = {g["code"] for g in policy.rejection_grounds}
            if ground not in codes:
                raise ValidationError(
                    {"ground": _("Cite one of the committee's grounds for not accepting.")}
                )
            locked.rejection_ground = ground
            locked.review_note = reason
            locked.decided_at = now
            message = _("Your proposal was not accepted: %(ground)s") % {
                "ground": policy.ground_label(ground)
            }
        elif action == "merge":
            _merge(locked, target, by)
            locked.decided_at = now
            locked.review_note = reason
            message = _("Your proposal was merged into %(reference)s; you keep the credit.") % {
                "reference": locked.merged_into.reference if locked.merged_into else ""
            }
        elif action == "suggest":
            locked.decided_at = now
            locked.review_note = reason
            message = _("Your proposal was turned into a suggestion to the departments.")
        elif action == "to_report":
            locked.decided_at = now
            locked.review_note = reason
            report = _to_report(locked, by)
            message = _("Your proposal was turned into the opinion report %(reference)s.") % {
                "reference": report.reference
            }
        elif action == "return":
            locked.review_note = reason
            message = _("Your proposal was returned for changes: %(reason)s") % {"reason": reason}
        elif action == "assign":
            _assign(locked, units, policy, by)
            if old == Proposal.Status.ACCEPTED:
                message = _("Your proposal was assigned to the handling units.")
        elif action == "close":
            locked.closed_at = now
            message = _("Your proposal is closed.")
        locked.status = new
        locked.save()
        _record_transition(
            by=by,
            obj=locked,
            action=action,
            old=old,
            new=new,
            reason=reason or (policy.ground_label(ground) if ground else ""),
            committee_id=locked.committee_id,
        )
        if new == Proposal.Status.CLOSED:
            _end_open_assignments(locked, by)
        if action in ("submit", "resubmit", "accept", "reject", "merge", "suggest", "to_report"):
            _index_proposals([locked])
        if message:
            _notify(
                authors,
                title=message,
                body=locked.title,
                url=_proposal_url(locked),
                obj=locked,
            )
    return locked


# --------------------------------------------------------------------------------------------
# Assignments: the machine


def _cohandling_pending(assignment: Assignment, today: datetime.date) -> list[Assignment]:
    """The co-handling units whose opinion the lead unit still waits for (not past due)."""
    return [
        a
        for a in assignment.proposal.assignments.filter(
            role=Assignment.Role.COHANDLING, status=Assignment.Status.ASSIGNED
        ).select_related("unit")
        if a.due_on >= today
    ]


def assignment_transition(
    *,
    assignment: Assignment,
    action: str,
    by: Any,
    reason: str = "",
    text: str = "",
    answer_class: str = "",
    attitude: str = "",
    result: str = "",
    comment: str = "",
    files: Sequence[UploadedFile] = (),
) -> Assignment:
    """Take one step of the assignment machine (workflow.ASSIGNMENTS).

    reply (lead or separate unit: `text`, `answer_class`, `files`; the lead unit only once
    every co-handling opinion is in or overdue), send_opinion (co-handling unit: `text`),
    return (within the window: `reason`), withdraw (the office: `reason`), evaluate and
    rehandle (the first proposer: `attitude`, `result`, `comment`; rehandle needs an
    unsatisfied result and sends the reply back for a second round).
    """
    policy = policy_ensure(committee=assignment.committee)
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .select_related("proposal", "unit", "committee")
            .get(pk=assignment.pk)
        )
        proposal = locked.proposal
        old = locked.status
        new = _check(
            ASSIGNMENTS,
            state=old,
            action=action,
            roles=assignment_roles(by, locked),
            reason=reason,
        )
        today = timezone.localdate()
        now = timezone.now()
        url = reverse("proposals:assignment_detail", args=[locked.pk])
        if proposal.status not in (Proposal.Status.HANDLING, Proposal.Status.ANSWERED):
            raise InvalidTransition(_("The proposal is not being handled."))
        if action in ("reply", "send_opinion"):
            if action == "reply" and locked.role == Assignment.Role.COHANDLING:
                raise InvalidTransition(
                    _("A co-handling unit sends its opinion to the lead unit; it does not reply.")
                )
            if action == "send_opinion" and locked.role != Assignment.Role.COHANDLING:
                raise InvalidTransition(_("Only co-handling units send an opinion."))
            if not text.strip():
                raise ValidationError({"text": _("Write the text.")})
            if action == "reply":
                codes = {c["code"] for c in policy.answer_classes}
                if answer_class not in codes:
                    raise ValidationError(
                        {"answer_class": _("Choose one of the committee's answer classes.")}
                    )
                if locked.role == Assignment.Role.LEAD:
                    pending = _cohandling_pending(locked, today)
                    if pending:
                        raise InvalidTransition(
                            _(
                                "Waiting for the opinion of %(units)s: the lead unit replies "
                                "once every co-handling opinion is in or overdue."
                            )
                            % {"units": "、".join(str(a.unit) for a in pending)}
                        )
            validate_files(files)
            reply = Reply.objects.create(
                committee_id=locked.committee_id,
                proposal=proposal,
                assignment=locked,
                kind=Reply.Kind.REPLY if action == "reply" else Reply.Kind.OPINION,
                round=locked.round,
                text=text.strip(),
                answer_class=answer_class if action == "reply" else "",
                answer_class_label=(
                    policy.answer_class_label(answer_class) if action == "reply" else ""
                ),
                replied_at=now,
                replied_by=by,
                on_time=today <= locked.due_on,
            )
            _attach(files=files, by=by, committee=locked.committee, reply=reply)
            _index_replies([reply])
            if action == "reply":
                _notify(
                    _users_of([proposal.author]),
                    title=_("%(unit)s replied to your proposal") % {"unit": locked.unit},
                    body=_("%(title)s — please evaluate the reply.") % {"title": proposal.title},
                    url=_proposal_url(proposal),
                    obj=proposal,
                )
                _notify(
                    office_users(locked.committee_id),
                    title=_("%(unit)s replied: %(title)s")
                    % {"unit": locked.unit, "title": proposal.title},
                    url=_proposal_url(proposal),
                    obj=proposal,
                )
            else:
                lead = proposal.assignments.filter(
                    role=Assignment.Role.LEAD, status=Assignment.Status.ASSIGNED
                ).first()
                if lead is not None:
                    _notify(
                        unit_users([lead.unit_id]),
                        title=_("%(unit)s sent its co-handling opinion") % {"unit": locked.unit},
                        body=proposal.title,
                        url=reverse("proposals:assignment_detail", args=[lead.pk]),
                        obj=lead,
                    )
        elif action == "return":
            if today > locked.return_by:
                raise InvalidTransition(
                    _("The window for returning this proposal closed on %(date)s.")
                    % {"date": locked.return_by.isoformat()}
                )
            locked.return_reason = reason
            _notify(
                office_users(locked.committee_id),
                title=_("%(unit)s returned a proposal: %(title)s")
                % {"unit": locked.unit, "title": proposal.title},
                body=reason,
                url=_proposal_url(proposal),
                obj=proposal,
            )
            _notify(
                _users_of(a.person for a in _credited_people(proposal)),
                title=_("%(unit)s returned your proposal to the office: %(title)s")
                % {"unit": locked.unit, "title": proposal.title},
                body=_("The office assigns it again."),
                url=_proposal_url(proposal),
                obj=proposal,
            )
        elif action == "withdraw":
            _notify(
                unit_users([locked.unit_id]),
                title=_("An assignment was withdrawn: %(title)s") % {"title": proposal.title},
                body=reason,
                url=url,
                obj=locked,
            )
        elif action in ("evaluate", "rehandle"):
            answer = (
                locked.replies.filter(kind=Reply.Kind.REPLY, round=locked.round)
                .order_by("-replied_at")
                .first()
            )
            if answer is None:
                raise InvalidTransition(_("There is no reply to evaluate."))
            ratings = Evaluation.Rating.values
            if attitude not in ratings:
                raise ValidationError({"attitude": _("Rate how the unit handled it.")})
            if result not in ratings:
                raise ValidationError({"result": _("Rate the result.")})
            if action == "rehandle":
                if result != Evaluation.Rating.UNSATISFIED:
                    raise ValidationError(
                        {"result": _("Only an unsatisfied result is sent back for handling.")}
                    )
                if locked.round >= MAX_ROUNDS:
                    raise InvalidTransition(
                        _("This reply was already handled again; the answer stands.")
                    )
            Evaluation.objects.create(
                committee_id=locked.committee_id,
                reply=answer,
                person=proposal.author,
                attitude=attitude,
                result=result,
                comment=comment.strip(),
                rehandle_requested=action == "rehandle",
                created_at=now,
            )
            if action == "rehandle":
                locked.round += 1
                locked.due_on = max(
                    locked.due_on, today + datetime.timedelta(days=policy.answer_days)
                )
                locked.return_by = min(locked.return_by, locked.due_on)
                _notify(
                    unit_users([locked.unit_id]),
                    title=_("The proposer is not satisfied: please handle again"),
                    body=proposal.title,
                    url=url,
                    obj=locked,
                )
                _notify(
                    office_users(locked.committee_id),
                    title=_("The proposer asked for handling again: %(title)s")
                    % {"title": proposal.title},
                    body=_("%(unit)s handles it a second time.") % {"unit": locked.unit},
                    url=_proposal_url(proposal),
                    obj=proposal,
                )
            else:
                _notify(
                    unit_users([locked.unit_id]),
                    title=_("Your reply was evaluated: %(title)s") % {"title": proposal.title},
                    url=url,
                    obj=locked,
                )
        locked.status = new
        locked.save()
        _record_transition(
            by=by,
            obj=locked,
            action=action,
            old=old,
            new=new,
            reason=reason,
            committee_id=locked.committee_id,
        )
        audit.record(
            actor=by,
            action="update",
            verb=f"assignment_{action}",
            obj=proposal,
            changes={"unit": [None, str(locked.unit)], "assignment": [old, new]},
            reason=reason,
            committee_id=locked.committee_id,
        )
        _after_assignment_change(proposal, by)
    return locked


# --------------------------------------------------------------------------------------------
# Key proposals and publication


def key_proposal_select(
    *, proposal: Proposal, leader: Person, by: Any, note: str = ""
) -> KeySupervision:
    """Make an accepted proposal a key proposal 重点提案 supervised 督办 by a leader."""
    if "office" not in proposal_roles(by, proposal):
        raise PermissionDenied(_("Only the committee's office selects key proposals."))
    if not proposal.is_accepted:
        raise InvalidTransition(_("Only accepted proposals can be key proposals."))
    if not Membership.objects.filter(
        person=leader, committee_id=proposal.committee_id, status=Membership.Status.SERVING
    ).exists():
        raise ValidationError({"leader": _("The leader must serve on this committee.")})
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        supervision, _created = KeySupervision.objects.update_or_create(
            proposal=locked,
            defaults={
                "committee_id": locked.committee_id,
                "leader": leader,
                "note": note.strip(),
                "selected_at": timezone.now(),
                "selected_by": by,
            },
        )
        locked.is_key = True
        locked.save(update_fields=["is_key", "updated_at"])
        audit.record(
            actor=by,
            action="update",
            verb="key_selected",
            obj=locked,
            changes={"is_key": [False, True], "leader": [None, leader.name]},
            reason=note,
            committee_id=locked.committee_id,
        )
        _notify(
            _users_of([leader]),
            title=_("You supervise the key proposal: %(title)s") % {"title": locked.title},
            url=_proposal_url(locked),
            obj=locked,
        )
    return supervision


def supervision_note_add(
    *, supervision: KeySupervision, by: Any, text: str, happened_on: datetime.date
) -> SupervisionNote:
    """Record progress 督办记录 on a key proposal: the office or the supervising leader."""
    scope = scope_for(by)
    if not (
        scope.can_edit_committee(supervision.committee_id)
        or scope.person_id == supervision.leader_id
    ):
        raise PermissionDenied(_("Only the office or the supervising leader records progress."))
    if not text.strip():
        raise ValidationError({"text": _("Write what happened.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        note = SupervisionNote.objects.create(
            committee_id=supervision.committee_id,
            supervision=supervision,
            happened_on=happened_on,
            text=text.strip(),
            created_at=timezone.now(),
            created_by=by,
        )
        audit.record(
            actor=by,
            action="update",
            verb="supervision_note",
            obj=supervision.proposal,
            changes={"note": [None, text.strip()[:200]]},
            committee_id=supervision.committee_id,
        )
    return note


def proposal_publish(*, proposal: Proposal, by: Any, publish: bool = True) -> Proposal:
    """Publish an accepted proposal on the public site (if the committee publishes and the
    proposer consented), or take it down."""
    if "office" not in proposal_roles(by, proposal):
        raise PermissionDenied(_("Only the committee's office publishes proposals."))
    policy = policy_ensure(committee=proposal.committee)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if publish:
            if not policy.publication_enabled:
                raise InvalidTransition(_("This committee does not publish proposals."))
            if not locked.is_accepted:
                raise InvalidTransition(_("Only accepted proposals are published."))
            if not locked.consent_publication:
                raise InvalidTransition(_("The proposer did not consent to publication."))
        old = locked.published_at
        locked.published_at = timezone.now() if publish else None
        locked.save(update_fields=["published_at", "updated_at"])
        audit.record(
            actor=by,
            action="update",
            verb="published" if publish else "unpublished",
            obj=locked,
            changes={"published_at": [audit._plain(old), audit._plain(locked.published_at)]},
            committee_id=locked.committee_id,
        )
    return locked


def reply_publish(*, reply: Reply, by: Any, publish: bool = True) -> Reply:
    """Publish a recorded reply (its proposal must be published), or take it down."""
    if not scope_for(by).can_edit_committee(reply.committee_id):
        raise PermissionDenied(_("Only the committee's office publishes replies."))
    with transaction.atomic():
        locked = Reply.objects.select_for_update().select_related("proposal").get(pk=reply.pk)
        if publish:
            if locked.kind != Reply.Kind.REPLY:
                raise InvalidTransition(_("Co-handling opinions are not published."))
            if locked.proposal.published_at is None:
                raise InvalidTransition(_("Publish the proposal first."))
        locked.published_at = timezone.now() if publish else None
        locked.save(update_fields=["published_at"])
        audit.record(
            actor=by,
            action="update",
            verb="reply_published" if publish else "reply_unpublished",
            obj=locked.proposal,
            changes={"reply": [None, locked.pk]},
            committee_id=locked.committee_id,
        )
    return locked


# --------------------------------------------------------------------------------------------
# Opinion reports


@dataclass
class ReportData:
    """What a member writes in an opinion report."""

    title: str
    body: str
    kind: str = OpinionReport.Kind.INDIVIDUAL
    category: ProposalCategory | None = None
    focus_area: FocusArea | None = None
    group: Organization | None = None
    coauthors: Sequence[Person] = ()


def _clean_report(report: OpinionReport, policy: ProposalPolicy) -> None:
    errors: dict[str, str] = {}
    if not report.title.strip():
        errors["title"] = _("A report needs a title.")
    if not report.body.strip():
        errors["body"] = _("A report needs its text.")
    elif len(report.body) > policy.report_body_max_chars:
        errors["body"] = _(
            "The text has %(count)d characters; this committee accepts at most %(limit)d."
        ) % {"count": len(report.body), "limit": policy.report_body_max_chars}
    if report.category is not None and report.category.committee_id != report.committee_id:
        errors["category"] = _("Choose one of this committee's categories.")
    if report.focus_area is not None and report.focus_area.committee_id != report.committee_id:
        errors["focus_area"] = _("Choose one of this committee's focus areas.")
    if report.kind not in OpinionReport.Kind.values:
        errors["kind"] = _("Choose individual, joint or collective.")
    if errors:
        raise ValidationError(errors)


def _set_coauthors(report: OpinionReport, people: Sequence[Person]) -> None:
    ReportAuthor.objects.filter(report=report, role=ReportAuthor.Role.JOINT).delete()
    ReportAuthor.objects.bulk_create(
        ReportAuthor(
            committee_id=report.committee_id,
            report=report,
            person=person,
            role=ReportAuthor.Role.JOINT,
            position=index + 1,
        )
        for index, person in enumerate(people)
    )


def report_create(
    *, committee: Committee, by: Any, data: ReportData, files: Sequence[UploadedFile] = ()
) -> OpinionReport:
    """A member drafts an opinion report 社情民意信息."""
    author = _author_of(by, committee)
    policy = policy_ensure(committee=committee)
    validate_files(files)
    with transaction.atomic():
        report = OpinionReport(
            committee=committee,
            year=timezone.localdate().year,
            kind=data.kind,
            author=author,
            created_by=by,
            title=data.title.strip(),
            body=data.body.strip(),
            category=data.category,
            focus_area=data.focus_area,
        )
        report.group = _clean_group(
            kind=data.kind, group=data.group, committee=committee, author=author
        )
        coauthors = _clean_coauthors(report, data, committee, author)
        _clean_report(report, policy)
        report.save()
        ReportAuthor.objects.create(
            committee=committee, report=report, person=author, role=ReportAuthor.Role.FIRST
        )
        _set_coauthors(report, coauthors)
        _attach(files=files, by=by, committee=committee, report=report)
        audit.record(
            actor=by,
            action="create",
            obj=report,
            changes=audit.diff({}, audit.snapshot(report, REPORT_AUDIT_FIELDS)),
            committee_id=committee.pk,
        )
        _index_reports([report])
    return report


def _clean_coauthors(
    report: OpinionReport, data: ReportData, committee: Committee, author: Person
) -> list[Person]:
    if data.kind != OpinionReport.Kind.JOINT:
        return []
    try:
        return _clean_cosigners(
            kind="joint", cosigners=data.coauthors, committee=committee, author=author
        )
    except ValidationError as error:
        raise ValidationError({"coauthors": error.message_dict["cosigners"]}) from error


def report_update(
    *, report: OpinionReport, by: Any, data: ReportData, files: Sequence[UploadedFile] = ()
) -> OpinionReport:
    """The author changes a draft, or a report returned for changes."""
    if scope_for(by).person_id != report.author_id:
        raise PermissionDenied(_("Only the first author may change this report."))
    policy = policy_ensure(committee=report.committee)
    with transaction.atomic():
        locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
        if locked.status not in (OpinionReport.Status.DRAFT, OpinionReport.Status.RETURNED):
            raise InvalidTransition(_("Only a draft or a returned report can be changed."))
        validate_files(files, existing=locked.attachments.count())
        before = audit.snapshot(locked, REPORT_AUDIT_FIELDS)
        locked.title = data.title.strip()
        locked.body = data.body.strip()
        locked.kind = data.kind
        locked.category = data.category
        locked.focus_area = data.focus_area
        locked.group = _clean_group(
            kind=data.kind, group=data.group, committee=locked.committee, author=locked.author
        )
        coauthors = _clean_coauthors(locked, data, locked.committee, locked.author)
        _clean_report(locked, policy)
        locked.save()
        _set_coauthors(locked, coauthors)
        _attach(files=files, by=by, committee=locked.committee, report=locked)
        changes = audit.diff(before, audit.snapshot(locked, REPORT_AUDIT_FIELDS))
        if changes:
            audit.record(
                actor=by,
                action="update",
                obj=locked,
                changes=changes,
                committee_id=locked.committee_id,
            )
        _index_reports([locked])
    return locked


def report_create_from(
    *,
    source: models.Model,
    by: Any,
    committee: Committee,
    title: str = "",
    body: str = "",
) -> OpinionReport:
    """A draft opinion report prefilled from another record (a concern) and linked to it."""
    author = _author_of(by, committee)
    policy = policy_ensure(committee=committee)
    source_title, source_body = _source_text(source)
    with transaction.atomic():
        report = OpinionReport.objects.create(
            committee=committee,
            year=timezone.localdate().year,
            kind=OpinionReport.Kind.INDIVIDUAL,
            author=author,
            created_by=by,
            title=(title or source_title or source_body[:30])[:200],
            body=(body or source_body or source_title)[: policy.report_body_max_chars],
        )
        ReportAuthor.objects.create(
            committee=committee, report=report, person=author, role=ReportAuthor.Role.FIRST
        )
        links.link(source=source, target=report, kind="became", by=by)
        audit.record(
            actor=by,
            action="create",
            verb="created_from",
            obj=report,
            changes={"source": [None, f"{source._meta.label} {source.pk}"]},
            committee_id=committee.pk,
        )
        _index_reports([report])
    return report


def report_transition(
    *, report: OpinionReport, action: str, by: Any, reason: str = ""
) -> OpinionReport:
    """Take one step of the report machine (workflow.REPORTS): submit, accept 录用, keep 留存,
    return (with a reason), resubmit, withdraw."""
    policy = policy_ensure(committee=report.committee)
    with transaction.atomic():
        locked = (
            OpinionReport.objects.select_for_update().select_related("committee").get(pk=report.pk)
        )
        old = locked.status
        new = _check(
            REPORTS, state=old, action=action, roles=report_roles(by, locked), reason=reason
        )
        now = timezone.now()
        message = ""
        if action in ("submit", "resubmit"):
            _clean_report(locked, policy)
            if locked.reference_seq is None:
                _lock_policy(locked.committee)
                year = timezone.localdate().year
                locked.year = year
                locked.reference_seq = _next_reference(OpinionReport, locked.committee_id, year)
                locked.reference = f"{year}-S{locked.reference_seq:04d}"
            locked.submitted_at = now
            _notify(
                office_users(locked.committee_id),
                title=_("New opinion report: %(title)s") % {"title": locked.title},
                url=_report_url(locked),
                obj=locked,
            )
        elif action in ("accept", "keep"):
            locked.decided_at = now
            locked.decision_note = reason
            message = (
                _("Your opinion report was accepted: %(title)s")
                if action == "accept"
                else _("Your opinion report was kept on file: %(title)s")
            ) % {"title": locked.title}
        elif action == "return":
            locked.decision_note = reason
            message = _("Your opinion report was returned for changes: %(reason)s") % {
                "reason": reason
            }
        elif action == "withdraw" and old != OpinionReport.Status.DRAFT:
            _notify(
                office_users(locked.committee_id),
                title=_("An opinion report was withdrawn by its author: %(title)s")
                % {"title": locked.title},
                url=_report_url(locked),
                obj=locked,
            )
        locked.status = new
        locked.save()
        _record_transition(
            by=by,
            obj=locked,
            action=action,
            old=old,
            new=new,
            reason=reason,
            committee_id=locked.committee_id,
        )
        _index_reports([locked])
        if message:
            _notify(
                _users_of(a.person for a in locked.authors.select_related("person")),
                title=message,
                url=_report_url(locked),
                obj=locked,
            )
    return locked


def report_check(
    *, report: OpinionReport, by: Any, edited_title: str, edited_body: str
) -> OpinionReport:
    """Staff check and edit 核稿 a report; the edited title and text are kept apart from the
    author's original."""
    if "office" not in report_roles(by, report):
        raise PermissionDenied(_("Only the committee's office edits opinion reports."))
    with transaction.atomic():
        locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
        if locked.status not in (
            OpinionReport.Status.SUBMITTED,
            OpinionReport.Status.ACCEPTED,
            OpinionReport.Status.KEPT,
        ):
            raise InvalidTransition(_("Only submitted reports are edited."))
        if not edited_title.strip() or not edited_body.strip():
            raise ValidationError({"edited_body": _("Give the edited title and text.")})
        before = audit.snapshot(locked, ("edited_title", "edited_body"))
        locked.edited_title = edited_title.strip()[:200]
        locked.edited_body = edited_body.strip()
        locked.edited_at = timezone.now()
        locked.edited_by = by
        locked.save()
        audit.record(
            actor=by,
            action="update",
            verb="checked",
            obj=locked,
            changes=audit.diff(before, audit.snapshot(locked, ("edited_title", "edited_body"))),
            committee_id=locked.committee_id,
        )
        _index_reports([locked])
    return locked


@dataclass
class AdoptionData:
    """One link of a report's adoption chain."""

    level: str
    body: str
    scope: str
    kind: str
    occurred_on: datetime.date
    by_whom: str = ""
    text: str = ""


def adoption_record(
    *, report: OpinionReport, by: Any, data: AdoptionData, feedback: bool = True
) -> AdoptionEvent:
    """Record a link of the chain: adopted, forwarded, reported, a leader's instruction 批示,
    adopted by a department — at this committee's level or a higher one. The authors are told
    (feedback 反馈) unless `feedback` is off."""
    if "office" not in report_roles(by, report):
        raise PermissionDenied(_("Only the committee's office records adoptions."))
    errors: dict[str, str] = {}
    if data.level not in AdoptionEvent.LEVEL_ORDER:
        errors["level"] = _("Choose a level.")
    elif AdoptionEvent.LEVEL_ORDER[data.level] < AdoptionEvent.LEVEL_ORDER[report.committee.level]:
        errors["level"] = _("Choose this committee's level or a higher one.")
    if data.body not in AdoptionEvent.Body.values:
        errors["body"] = _("Choose who adopted it.")
    if data.scope not in AdoptionEvent.Scope.values:
        errors["scope"] = _("Single piece or combined?")
    if data.kind not in AdoptionEvent.Kind.values:
        errors["kind"] = _("Choose what happened.")
    if data.kind == AdoptionEvent.Kind.INSTRUCTION and not data.by_whom.strip():
        errors["by_whom"] = _("Name the leader who gave the instruction.")
    if data.occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != OpinionReport.Status.ACCEPTED:
            raise InvalidTransition(_("Only accepted reports are adopted, forwarded or reported."))
        now = timezone.now()
        event = AdoptionEvent.objects.create(
            committee_id=locked.committee_id,
            report=locked,
            level=data.level,
            body=data.body,
            scope=data.scope,
            kind=data.kind,
            by_whom=data.by_whom.strip()[:200],
            occurred_on=data.occurred_on,
            text=data.text.strip(),
            recorded_at=now,
            recorded_by=by,
            fed_back_at=now if feedback else None,
        )
        audit.record(
            actor=by,
            action="update",
            verb=f"adoption_{data.kind}",
            obj=locked,
            changes={
                "adoption": [
                    None,
                    f"{event.get_level_display()} {event.get_body_display()} "
                    f"{event.get_scope_display()} {event.get_kind_display()}",
                ]
            },
            reason=data.by_whom,
            committee_id=locked.committee_id,
        )
        if feedback:
            _notify(
                _users_of(a.person for a in locked.authors.select_related("person")),
                title=_("Your opinion report: %(event)s (%(level)s %(body)s)")
                % {
                    "event": event.get_kind_display(),
                    "level": event.get_level_display(),
                    "body": event.get_body_display(),
                },
                body=locked.shown_title,
                url=_report_url(locked),
                obj=locked,
            )
    return event


def bulletin_create(
    *,
    committee: Committee,
    by: Any,
    title: str,
    published_on: datetime.date,
    number: int | None = None,
) -> BulletinIssue:
    """A new issue of the committee's bulletin (numbered per year unless a number is given)."""
    if not scope_for(by).can_edit_committee(committee.pk):
        raise PermissionDenied(_("Only the committee's office edits its bulletin."))
    if not title.strip():
        raise ValidationError({"title": _("Give the bulletin's title.")})
    with transaction.atomic():
        _lock_policy(committee)
        year = published_on.year
        if number is None:
            top = BulletinIssue.objects.filter(committee=committee, year=year).aggregate(
                top=Max("number")
            )["top"]
            number = (top or 0) + 1
        elif BulletinIssue.objects.filter(committee=committee, year=year, number=number).exists():
            raise ValidationError({"number": _("This issue number is taken.")})
        issue = BulletinIssue.objects.create(
            committee=committee,
            year=year,
            number=number,
            title=title.strip(),
            published_on=published_on,
        )
        audit.record(
            actor=by,
            action="create",
            obj=issue,
            changes={"number": [None, number], "title": [None, issue.title]},
            committee_id=committee.pk,
        )
    return issue


def bulletin_add(*, issue: BulletinIssue, report: OpinionReport, by: Any) -> BulletinEntry:
    """Print an accepted report in an issue of the bulletin; its authors are told."""
    if not scope_for(by).can_edit_committee(issue.committee_id):
        raise PermissionDenied(_("Only the committee's office edits its bulletin."))
    if report.committee_id != issue.committee_id:
        raise ValidationError({"report": _("The report belongs to another committee.")})
    if report.status != OpinionReport.Status.ACCEPTED:
        raise ValidationError({"report": _("Only accepted reports are printed.")})
    with transaction.atomic():
        if BulletinEntry.objects.filter(issue=issue, report=report).exists():
            raise ValidationError({"report": _("The report is already in this issue.")})
        position = BulletinEntry.objects.filter(issue=issue).count() + 1
        entry = BulletinEntry.objects.create(
            committee_id=issue.committee_id, issue=issue, report=report, position=position
        )
        audit.record(
            actor=by,
            action="update",
            verb="printed",
            obj=report,
            changes={"bulletin": [None, str(issue)]},
            committee_id=issue.committee_id,
        )
        _notify(
            _users_of(a.person for a in report.authors.select_related("person")),
            title=_("Your opinion report is printed in %(issue)s") % {"issue": issue},
            body=report.shown_title,
            url=_report_url(report),
            obj=report,
        )
    return entry
