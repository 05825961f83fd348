"""Background work of the assessment (Django's tasks API): recompute one member after one of
their records changed, recompute a committee-year, make documents."""

from __future__ import annotations

from django_tasks import task

from lianluo.assessment.models import Assessment


@task()
def recompute_member(assessment_id: int, person_id: int) -> int:
    """Rescore one member of an open assessment; returns the number of lines written (0 for a
    frozen year, which is never changed)."""
    from lianluo.assessment.services import assessment_recompute_member

    assessment = Assessment.objects.select_related("committee").get(pk=assessment_id)
    return assessment_recompute_member(assessment=assessment, person_id=person_id).lines


@task()
def recompute_assessment(assessment_id: int) -> int:
    """Rescore a whole committee-year (refused for a frozen year)."""
    from lianluo.assessment.services import assessment_recompute

    assessment = Assessment.objects.select_related("committee").get(pk=assessment_id)
    return assessment_recompute(assessment=assessment).members


@task()
def make_documents(batch_id: int) -> str:
    """Make the documents of a batch (the bulletin, or all dossiers as one ZIP)."""
    from lianluo.assessment.documents import run_batch

    return run_batch(batch_id)
