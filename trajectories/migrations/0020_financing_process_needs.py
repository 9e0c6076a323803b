"""Figure 3 (issue 19): the financing structure no longer scores a candidate like an exclusion criterion.

The answer to the figure-3 question now says what the implementation process needs (``Candidate.financing_need``,
with ``financing_note``). Existing "financiering" ratings move onto their candidate without loss: their note
is kept and their old answer is written into the note, so the team can read what it said and choose the need;
only "ja" (the financing leaves room) maps to a need by itself ("geen"). The rating rows are then removed,
because "financiering" is no longer a criterion. Going back puts the ratings back from what was kept.
"""

from django.db import migrations, models

OLD_ANSWER_LABELS = {"ja": "ja", "deels": "deels", "nee": "nee"}
OLD_ANSWER_PREFIX = "Financiering eerder als criterium beoordeeld met: "


def ratings_to_process_needs(apps, schema_editor):
    Candidate = apps.get_model("trajectories", "Candidate")
    CandidateRating = apps.get_model("trajectories", "CandidateRating")
    ratings = CandidateRating.objects.filter(criterion="financiering").order_by("pk")
    for rating in ratings:
        candidate = Candidate.objects.get(pk=rating.candidate_id)
        lines = []
        if rating.answer in OLD_ANSWER_LABELS:
            lines.append(OLD_ANSWER_PREFIX + OLD_ANSWER_LABELS[rating.answer] + ".")
        if rating.note:
            lines.append(rating.note)
        candidate.financing_note = "\n".join(lines)
        candidate.financing_need = "geen" if rating.answer == "ja" else "onbekend"
        candidate.save(update_fields=["financing_note", "financing_need"])
    ratings.delete()


def process_needs_to_ratings(apps, schema_editor):
    Candidate = apps.get_model("trajectories", "Candidate")
    CandidateRating = apps.get_model("trajectories", "CandidateRating")
    for candidate in Candidate.objects.exclude(financing_need="onbekend", financing_note="").order_by("pk"):
        lines = candidate.financing_note.split("\n") if candidate.financing_note else []
        answer = "ja" if candidate.financing_need == "geen" else "onbekend"
        if lines and lines[0].startswith(OLD_ANSWER_PREFIX):
            answer = lines.pop(0)[len(OLD_ANSWER_PREFIX) :].rstrip(".")
        CandidateRating.objects.create(
            candidate=candidate, criterion="financiering", answer=answer, note="\n".join(lines)
        )


class Migration(migrations.Migration):
    # Not one transaction: on PostgreSQL, going back inserts rating rows (deferred foreign-key triggers) and then
    # alters the same table, which one transaction refuses ("pending trigger events"). The data step keeps its own
    # transaction (RunPython atomic=True); the schema steps before and after it are single statements.
    atomic = False

    dependencies = [
        ("trajectories", "0019_edit_versions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="candidaterating",
            name="candidaterating_criterion_valid",
        ),
        migrations.AddField(
            model_name="candidate",
            name="financing_need",
            field=models.CharField(
                choices=[
                    ("onbekend", "Not discussed yet"),
                    ("geen", "Nothing extra: the financing leaves room"),
                    ("visie", "Talks about the vision with the organisation"),
                    ("financiers", "Talks with the funders"),
                    ("overbrugging", "Bridge financing between development and implementation"),
                    ("structureel", "Talks about structural funding"),
                ],
                default="onbekend",
                max_length=20,
                verbose_name="what the process needs",
            ),
        ),
        migrations.AddField(
            model_name="candidate",
            name="financing_note",
            field=models.TextField(blank=True, max_length=4000, verbose_name="note on the financing"),
        ),
        migrations.AddField(
            model_name="historicalcandidate",
            name="financing_need",
            field=models.CharField(
                choices=[
                    ("onbekend", "Not discussed yet"),
                    ("geen", "Nothing extra: the financing leaves room"),
                    ("visie", "Talks about the vision with the organisation"),
                    ("financiers", "Talks with the funders"),
                    ("overbrugging", "Bridge financing between development and implementation"),
                    ("structureel", "Talks about structural funding"),
                ],
                default="onbekend",
                max_length=20,
                verbose_name="what the process needs",
            ),
        ),
        migrations.AddField(
            model_name="historicalcandidate",
            name="financing_note",
            field=models.TextField(blank=True, max_length=4000, verbose_name="note on the financing"),
        ),
        migrations.RunPython(ratings_to_process_needs, process_needs_to_ratings, atomic=True),
        migrations.AlterField(
            model_name="candidaterating",
            name="criterion",
            field=models.CharField(
                choices=[
                    ("bedoeling", "Purpose (de bedoeling)"),
                    ("uitvoeringskaders", "Broad execution frames"),
                    ("leerklimaat", "Learning climate"),
                    ("sturing", "Targets or the citizen's goal"),
                    ("caseload", "Caseload"),
                    ("trajectduur", "Trajectory length"),
                ],
                max_length=30,
                verbose_name="criterion",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcandidaterating",
            name="criterion",
            field=models.CharField(
                choices=[
                    ("bedoeling", "Purpose (de bedoeling)"),
                    ("uitvoeringskaders", "Broad execution frames"),
                    ("leerklimaat", "Learning climate"),
                    ("sturing", "Targets or the citizen's goal"),
                    ("caseload", "Caseload"),
                    ("trajectduur", "Trajectory length"),
                ],
                max_length=30,
                verbose_name="criterion",
            ),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("financing_need__in", ["onbekend", "geen", "visie", "financiers", "overbrugging", "structureel"])
                ),
                name="candidate_financing_need_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="candidaterating",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "criterion__in",
                        ["bedoeling", "uitvoeringskaders", "leerklimaat", "sturing", "caseload", "trajectduur"],
                    )
                ),
                name="candidaterating_criterion_valid",
            ),
        ),
    ]
