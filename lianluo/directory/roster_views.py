"""Roster pages: import a committee's Excel roster 委员名册, download its template, export the
member list as the user sees it."""

from __future__ import annotations

import tempfile
from typing import Any

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from lianluo.core import audit
from lianluo.directory import roster, services
from lianluo.directory.models import Committee, Person, Term
from lianluo.directory.views import RegistryMixin, seat_filter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterImportForm(forms.Form):
    """The upload: the roster file, the term it fills, and whether to check only."""

    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx)"),
        help_text=gettext_lazy("At most 5 MB and 5,000 rows, in the layout of the template."),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    term = forms.ModelChoiceField(label=gettext_lazy("term"), queryset=Term.objects.none())
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only, write nothing"),
        required=False,
        help_text=gettext_lazy("Lists every problem, or what the import would change."),
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(committee=committee)  # type: ignore[attr-defined]
        self.fields["term"].empty_label = None  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an Excel workbook (.xlsx)."))
        if upload.size > roster.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": roster.MAX_BYTES // (1024 * 1024)}
            )
        return upload


class RosterImportView(RegistryMixin, View):
    """The office imports its committee's roster: every problem, or a summary of what changed."""

    template_name = "directory/roster_import.html"

    def render_page(
        self, committee: Committee, form: RosterImportForm, **context: Any
    ) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"committee": committee, "demo_committee": committee.is_demo, "form": form, **context},
        )

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.editable_committee(code)
        form = RosterImportForm(
            committee=committee, initial={"term": services.current_term(committee)}
        )
        return self.render_page(committee, form)

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.editable_committee(code)
        form = RosterImportForm(request.POST, request.FILES, committee=committee)
        if not form.is_valid():
            return self.render_page(committee, form)
        upload = form.cleaned_data["file"]
        try:
            result = roster.roster_import(
                upload.file,
                committee=committee,
                term=form.cleaned_data["term"],
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
                filename=upload.name,
            )
        except roster.RosterRefused as refused:
            form.add_error("file", str(refused))
            return self.render_page(committee, form)
        return self.render_page(committee, form, result=result, term=form.cleaned_data["term"])


class RosterTemplateView(RegistryMixin, View):
    """The empty roster template of a committee, with its sectors in the sheet 说明."""

    def get(self, request: HttpRequest, code: str) -> FileResponse:
        committee = self.editable_committee(code)
        file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        roster.roster_template(committee).save(file)
        file.seek(0)
        return FileResponse(
            file,
            as_attachment=True,
            filename=f"{committee.code}_委员名册模板.xlsx",
            content_type=XLSX,
        )


class MemberExportView(RegistryMixin, View):
    """The member list as filtered on the page ("export what I see"), as an xlsx roster.

    Full ID and mobile numbers go only to the committee's office; readers get them masked.
    Every export is logged as an access to personal data.
    """

    def get(self, request: HttpRequest, code: str) -> FileResponse:
        committee = self.readable_committee(code)
        full = self.scope.can_edit_committee(committee.pk)
        seats = seat_filter(request, committee).qs
        file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        count = roster.export_members(seats, file, committee=committee, full=full)
        fields = ["name", "gender", "ethnicity", "birth_date", "affiliation", "workplace"]
        fields += ["id_number", "mobile"] if full else ["id_number_masked", "mobile_masked"]
        audit.log_personal_data_access(
            user=request.user,
            kind="export",
            model=Person,
            fields=fields,
            record_count=count,
            purpose=f"member list export, committee {committee.code}",
        )
        file.seek(0)
        response = FileResponse(
            file,
            as_attachment=True,
            filename=f"{committee.code}_委员名册_{timezone.localdate():%Y%m%d}.xlsx",
            content_type=XLSX,
        )
        response["Cache-Control"] = "no-store"
        return response
